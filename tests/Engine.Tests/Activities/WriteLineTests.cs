using Workflows.Engine.Execution;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Activities;

public sealed class WriteLineTests
{
    [Fact]
    public async Task Start_and_WriteLines_run_in_connection_order_and_finish()
    {
        var run = await Runner.StartAsync(new Flow()
            .Add(A.Start(), A.WriteLine("w1", "one"), A.WriteLine("w2", "two"))
            .Chain("start", "w1", "w2"));

        Assert.Equal(["one", "two"], run.Lines);
        Assert.Equal(WorkflowStatus.Finished, run.Status);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
        Assert.Empty(run.State.Bookmarks);
        Assert.Empty(run.State.Activities);
    }

    [Fact]
    public async Task WriteLine_writes_the_value_of_a_JavaScript_text()
    {
        var run = await Runner.StartAsync(new Flow().Add(A.WriteLineJs("w1", "'2 + 3 = ' + (2 + 3)")));

        Assert.Equal(["2 + 3 = 5"], run.Lines);
    }

    [Fact]
    public async Task WriteLine_without_text_writes_an_empty_line()
    {
        var run = await Runner.StartAsync(new Flow().Add(A.Node("w1", "Elsa.WriteLine")));

        Assert.Equal([""], run.Lines);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }

    [Fact]
    public async Task An_Elsa_Start_is_chosen_even_when_another_activity_without_inbound_connections_is_listed_first()
    {
        var run = await Runner.StartAsync(new Flow()
            .Add(A.WriteLine("orphan", "orphan"), A.Start(), A.WriteLine("w1", "after start"))
            .Connect("start", "w1"));

        Assert.Equal(["after start"], run.Lines);
    }

    [Fact]
    public async Task Without_a_Start_the_first_activity_with_no_inbound_connection_starts()
    {
        var run = await Runner.StartAsync(new Flow()
            .Add(A.WriteLine("w2", "second"), A.WriteLine("w1", "first"))
            .Connect("w1", "w2"));

        Assert.Equal(["first", "second"], run.Lines);
    }

    [Fact]
    public async Task When_every_activity_has_an_inbound_connection_the_first_listed_one_starts()
    {
        var run = await Runner.StartAsync(new Flow()
            .Add(A.WriteLine("a", "a"), A.Event("b", "b"))
            .Chain("a", "b", "a"));

        Assert.Equal(["a"], run.Lines);
        Assert.Equal(["b"], run.WaitingAt);
    }

    [Fact]
    public async Task An_empty_flowchart_finishes_at_once()
    {
        var run = await Runner.StartAsync(new Flow());

        Assert.Empty(run.Lines);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }

    [Fact]
    public async Task The_execution_log_records_started_and_completed_with_outcomes()
    {
        var run = await Runner.StartAsync(new Flow().Add(A.Start(), A.WriteLine("w1", "x")).Chain("start", "w1"));

        var completed = run.Last.Log.Where(e => e.Event == "Completed").Select(e => e.ActivityId).ToList();
        Assert.Equal(["start", "w1", "flow1"], completed);
        Assert.Equal(["Done"], run.Last.Log.First(e => e is { ActivityId: "w1", Event: "Completed" }).Outcomes);
        Assert.Equal(1, run.State.CompletedCounts["w1"]);
    }
}
