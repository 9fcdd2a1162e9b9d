using Workflows.Engine.Execution;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Flowchart;

/// <summary>Elsa.FlowJoin: WaitAll is the Merge mode, WaitAny the Race mode.</summary>
public sealed class JoinTests
{
    // start -> fork; fork.a -> first -> join; fork.b -> second -> join; join -> after.
    private static Flow TwoBranches(string? mode, System.Text.Json.Nodes.JsonObject first, System.Text.Json.Nodes.JsonObject second) => new Flow()
        .Add(A.Start(), A.FlowFork("fork", "a", "b"), first, second, A.Join("join", mode), A.WriteLine("after", "joined"))
        .Connect("start", "fork").Connect("fork", first["id"]!.ToString(), "a").Connect("fork", second["id"]!.ToString(), "b")
        .Connect(first["id"]!.ToString(), "join").Connect(second["id"]!.ToString(), "join").Connect("join", "after");

    [Fact]
    public async Task WaitAll_join_runs_after_both_events_were_resumed()
    {
        var run = await Runner.StartAsync(TwoBranches("WaitAll", A.Event("e1", "one"), A.Event("e2", "two")));
        Assert.Equal(["e1", "e2"], run.WaitingAt);

        await run.ResumeAsync("e2");
        Assert.Empty(run.Lines);
        Assert.Equal(["e1"], run.WaitingAt);
        Assert.Equal(WorkflowSubStatus.Suspended, run.SubStatus);

        await run.ResumeAsync("e1");
        Assert.Equal(["joined"], run.Lines);
        Assert.Equal(1, run.State.CompletedCounts["join"]);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }

    [Fact]
    public async Task WaitAll_join_does_not_run_when_one_inbound_branch_is_dead()
    {
        var run = await Runner.StartAsync(new Flow()
            .Add(A.Start(), A.FlowFork("fork", "a", "d"), A.WriteLine("A", "a"), A.Decision("D", "false"), A.WriteLine("B", "b"),
                A.Join("join", "WaitAll"), A.WriteLine("after", "joined"))
            .Connect("start", "fork").Connect("fork", "A", "a").Connect("fork", "D", "d").Connect("D", "B", "True")
            .Chain("A", "join", "after").Chain("B", "join"));

        Assert.Equal(["a"], run.Lines);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }

    [Fact]
    public async Task WaitAny_join_runs_once_and_cancels_the_branch_waiting_on_an_event()
    {
        var run = await Runner.StartAsync(TwoBranches("WaitAny", A.WriteLine("fast", "fast"), A.Event("slow", "slow")));

        Assert.Equal(["fast", "joined"], run.Lines);
        Assert.Equal(1, run.State.CompletedCounts["join"]);
        Assert.Empty(run.State.Bookmarks);
        Assert.Empty(run.Last.CreatedBookmarks);
        Assert.Contains(run.Last.Log, e => e is { ActivityId: "slow", Event: "Cancelled" });
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }

    [Fact]
    public async Task WaitAny_join_of_two_events_runs_on_the_first_resumed_and_removes_the_other_bookmark()
    {
        var run = await Runner.StartAsync(TwoBranches("WaitAny", A.Event("e1", "one"), A.Event("e2", "two")));
        var other = run.BookmarkAt("e1");

        await run.ResumeAsync("e2");

        Assert.Equal(["joined"], run.Lines);
        Assert.Equal([other], run.Last.RemovedBookmarks.Where(b => b.ActivityId == "e1"));
        Assert.Empty(run.State.Bookmarks);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }

    [Fact]
    public async Task WaitAny_join_of_two_immediate_branches_runs_once()
    {
        var run = await Runner.StartAsync(TwoBranches("WaitAny", A.WriteLine("l1", "line 1"), A.WriteLine("l2", "line 2")));

        Assert.Equal(1, run.Lines.Count(l => l == "joined"));
        Assert.Equal(1, run.State.CompletedCounts["join"]);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }

    [Fact]
    public async Task A_join_without_a_mode_is_WaitAny_as_in_Elsa()
    {
        var run = await Runner.StartAsync(TwoBranches(null, A.WriteLine("fast", "fast"), A.Event("slow", "slow")));

        Assert.Equal(["fast", "joined"], run.Lines);
        Assert.Empty(run.State.Bookmarks);
    }
    [Fact]
    public async Task WaitAny_join_inside_a_loop_runs_on_whichever_branch_arrives_first_in_each_round()
    {
        // start -> fork -> (A | B) -> join(WaitAny) -> inc -> more? -True-> fork (backward) / -False-> done
        var run = await Runner.StartAsync(new Flow()
            .Variable("N", "Int32", 0)
            .Add(A.Start(), A.FlowFork("fork", "a", "b"), A.Event("A", "A"), A.Event("B", "B"), A.Join("join", "WaitAny"),
                A.SetVariable("inc", "N", In.Js("getN() + 1")), A.WriteLineJs("w", "'round ' + getN()"), A.Decision("more", "getN() < 2"), A.WriteLine("done", "done"))
            .Connect("start", "fork").Connect("fork", "A", "a").Connect("fork", "B", "b").Chain("A", "join").Chain("B", "join")
            .Chain("join", "inc", "w", "more").Connect("more", "fork", "True").Connect("more", "done", "False"));

        await run.ResumeAsync("A");
        Assert.Equal(["round 1"], run.Lines);
        Assert.Equal(["A", "B"], run.WaitingAt);

        await run.ResumeAsync("B");

        Assert.Equal(["round 1", "round 2", "done"], run.Lines);
        Assert.Empty(run.State.Bookmarks);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }
}
