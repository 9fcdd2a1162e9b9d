using System.Text.Json.Nodes;
using Workflows.Engine.Bookmarks;
using Workflows.Engine.Execution;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Execution;

/// <summary>Cancel, RetryAsync and MoveTokenAsync.</summary>
public sealed class AdminOperationTests
{
    private static Flow TwoEvents() => new Flow()
        .Add(A.Start(), A.Event("evA", "A"), A.WriteLine("wa", "after A"), A.Event("evB", "B"), A.WriteLine("wb", "after B"))
        .Chain("start", "evA", "wa", "evB", "wb");

    [Fact]
    public async Task Cancel_removes_every_bookmark_and_finishes_as_Cancelled()
    {
        var run = await Runner.StartAsync(TwoEvents());
        var bookmark = run.BookmarkAt("evA");

        run.Cancel("no longer needed");

        Assert.Equal(WorkflowStatus.Finished, run.Status);
        Assert.Equal(WorkflowSubStatus.Cancelled, run.SubStatus);
        Assert.Empty(run.State.Bookmarks);
        Assert.Empty(run.State.Activities);
        Assert.Equal([bookmark], run.Last.RemovedBookmarks);
        Assert.Contains(run.Last.Journal, j => j is { Event: JournalEvents.WorkflowCancelled, Summary: "no longer needed" });
        await Assert.ThrowsAsync<BookmarkNotFoundException>(() => run.ResumeAsync(bookmark));
    }

    [Fact]
    public async Task Cancel_of_a_finished_instance_throws()
    {
        var run = await Runner.StartAsync(new Flow().Add(A.WriteLine("w", "x")));

        Assert.Throws<InvalidOperationException>(() => run.Cancel());
    }

    [Fact]
    public async Task RetryAsync_runs_the_faulted_activity_again_once_its_cause_is_fixed()
    {
        var run = await Runner.StartAsync(new Flow()
            .Add(A.Start(), A.WriteLineJs("w", "if (!getVariable('Ready')) throw new Error('not ready'); 'ready now'"), A.WriteLine("after", "after"))
            .Chain("start", "w", "after"));
        Assert.Equal(WorkflowSubStatus.Faulted, run.SubStatus);
        Assert.Contains("not ready", Assert.Single(run.State.Incidents).Message);

        run.State.Variables["Ready"] = true;
        await run.RetryAsync();

        Assert.Equal(["ready now", "after"], run.Lines);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
        Assert.Single(run.State.Incidents); // the incident stays as history
        Assert.Contains(run.Last.Journal, j => j is { Event: JournalEvents.ActivityRetried, ActivityId: "w" });
    }

    [Fact]
    public async Task RetryAsync_continues_a_loop_where_it_faulted()
    {
        var body = A.WriteLineJs("w", "if (getCurrentValue() == 2 && !getVariable('Ready')) throw new Error('bad item'); 'item ' + getCurrentValue()");
        var run = await Runner.StartAsync(new Flow()
            .Add(A.Node("each", "Elsa.ForEach", ("items", In.Js("[1, 2, 3]")), ("body", body)), A.WriteLine("after", "after"))
            .Chain("each", "after"));
        Assert.Equal(["item 1"], run.Lines);
        Assert.Equal(WorkflowSubStatus.Faulted, run.SubStatus);

        run.State.Variables["Ready"] = true;
        await run.RetryAsync();

        Assert.Equal(["item 1", "item 2", "item 3", "after"], run.Lines);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }

    [Fact]
    public async Task RetryAsync_of_an_instance_that_did_not_fault_throws()
    {
        var run = await Runner.StartAsync(TwoEvents());

        await Assert.ThrowsAsync<InvalidOperationException>(run.RetryAsync);
    }

    [Fact]
    public async Task MoveTokenAsync_returns_a_flow_waiting_on_event_B_to_event_A_and_it_proceeds_from_there()
    {
        var run = await Runner.StartAsync(TwoEvents());
        await run.ResumeAsync("evA");
        Assert.Equal(["evB"], run.WaitingAt);
        var atB = run.BookmarkAt("evB");

        await run.MoveTokenAsync("evB", "evA");

        Assert.Equal(["evA"], run.WaitingAt);
        Assert.Contains(atB, run.Last.RemovedBookmarks);
        Assert.Equal(WorkflowSubStatus.Suspended, run.SubStatus);
        Assert.Contains(run.Last.Journal, j => j is { Event: JournalEvents.TokenMoved, Summary: "evB -> evA" });

        await run.ResumeAsync("evA");
        await run.ResumeAsync("evB");

        Assert.Equal(["after A", "after A", "after B"], run.Lines);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }

    [Fact]
    public async Task MoveTokenAsync_can_skip_a_faulted_activity()
    {
        var run = await Runner.StartAsync(new Flow()
            .Add(A.Start(), A.Node("fault", "Elsa.Fault", ("message", In.Literal("broken"))), A.WriteLine("after", "after"))
            .Chain("start", "fault", "after"));
        Assert.Equal(WorkflowSubStatus.Faulted, run.SubStatus);

        await run.MoveTokenAsync("fault", "after");

        Assert.Equal(["after"], run.Lines);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }

    [Fact]
    public async Task MoveTokenAsync_refuses_a_source_without_a_token_or_a_target_in_another_flowchart()
    {
        var inner = new Flow("inner").Add(A.WriteLine("deep", "deep"));
        var run = await Runner.StartAsync(new Flow()
            .Add(A.Start(), A.Event("ev", "go"), inner.AsActivity())
            .Chain("start", "ev", "inner"));

        await Assert.ThrowsAsync<ArgumentException>(() => run.MoveTokenAsync("inner", "start"));
        await Assert.ThrowsAsync<ArgumentException>(() => run.MoveTokenAsync("ev", "deep"));
        Assert.Equal(["ev"], run.WaitingAt);
    }
}
