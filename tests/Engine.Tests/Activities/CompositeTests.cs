using Workflows.Engine.Execution;
using Workflows.Engine.Tests.Support;
using System.Text.Json.Nodes;

namespace Workflows.Engine.Tests.Activities;

/// <summary>Sequence, Fork, FlowFork and FlowNode.</summary>
public sealed class CompositeTests
{
    [Fact]
    public async Task Sequence_runs_its_activities_one_after_another()
    {
        var sequence = A.Node("seq", "Elsa.Sequence",
            ("activities", new JsonArray(A.WriteLine("w1", "1"), A.WriteLine("w2", "2"), A.WriteLine("w3", "3"))));
        var run = await Runner.StartAsync(new Flow().Add(A.Start(), sequence, A.WriteLine("after", "after")).Chain("start", "seq", "after"));

        Assert.Equal(["1", "2", "3", "after"], run.Lines);
    }

    [Fact]
    public async Task Sequence_waits_for_a_waiting_activity_before_the_next()
    {
        var sequence = A.Node("seq", "Elsa.Sequence",
            ("activities", new JsonArray(A.WriteLine("w1", "1"), A.Event("ev", "go"), A.WriteLine("w2", "2"))));
        var run = await Runner.StartAsync(new Flow().Add(sequence));
        Assert.Equal(["1"], run.Lines);
        Assert.Equal(WorkflowSubStatus.Suspended, run.SubStatus);

        await run.ResumeAsync("ev");

        Assert.Equal(["1", "2"], run.Lines);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }

    private static Flow ForkOfTwoEvents(string joinMode) => new Flow()
        .Add(A.Start(), A.Node("fork", "Elsa.Fork", ("joinMode", In.Literal(joinMode, "ForkJoinMode")),
            ("branches", new JsonArray(A.Event("a", "A"), A.Event("b", "B")))), A.WriteLine("after", "after"))
        .Chain("start", "fork", "after");

    [Fact]
    public async Task Fork_WaitAll_completes_after_every_branch()
    {
        var run = await Runner.StartAsync(ForkOfTwoEvents("WaitAll"));
        Assert.Equal(["a", "b"], run.WaitingAt);

        await run.ResumeAsync("a");
        Assert.Empty(run.Lines);
        Assert.Equal(["b"], run.WaitingAt);

        await run.ResumeAsync("b");
        Assert.Equal(["after"], run.Lines);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }

    [Fact]
    public async Task Fork_WaitAny_completes_on_the_first_branch_and_drops_the_other()
    {
        var run = await Runner.StartAsync(ForkOfTwoEvents("WaitAny"));
        var other = run.BookmarkAt("a");

        await run.ResumeAsync("b");

        Assert.Equal(["after"], run.Lines);
        Assert.Empty(run.State.Bookmarks);
        Assert.Contains(other, run.Last.RemovedBookmarks);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }

    [Fact]
    public async Task FlowFork_leaves_through_each_of_its_branches_in_connection_order()
    {
        var run = await Runner.StartAsync(new Flow()
            .Add(A.Start(), A.FlowFork("fork", "A", "B", "C"), A.WriteLine("a", "A"), A.WriteLine("b", "B"), A.WriteLine("c", "C"), A.WriteLine("d", "D"))
            .Connect("start", "fork").Connect("fork", "c", "C").Connect("fork", "a", "A").Connect("fork", "b", "B").Connect("fork", "d", "D"));

        Assert.Equal(["C", "A", "B"], run.Lines);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }

    [Fact]
    public async Task FlowNode_runs_its_body_and_completes_when_the_body_does()
    {
        var body = new Flow("body").Add(A.WriteLine("w1", "inside"), A.Event("ev", "go")).Chain("w1", "ev");
        var run = await Runner.StartAsync(new Flow()
            .Add(A.Start(), A.Node("node", "Elsa.FlowNode", ("body", body.AsActivity())), A.WriteLine("after", "after"))
            .Chain("start", "node", "after"));
        Assert.Equal(["inside"], run.Lines);
        Assert.Equal(["ev"], run.WaitingAt);

        await run.ResumeAsync("ev");

        Assert.Equal(["inside", "after"], run.Lines);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }
}
