using Workflows.Engine.Execution;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Flowchart;

/// <summary>How an activity with several inbound connections runs, by customProperties.mergeMode.</summary>
public sealed class MergeModeTests
{
    // start -> fork; fork.a -> A -> X; fork.b -> B1 -> B2 -> X (the b branch is one step longer).
    private static Flow UnevenBranches(string? mode)
    {
        var flow = new Flow()
            .Add(A.Start(), A.FlowFork("fork", "a", "b"), A.WriteLine("A", "a"), A.WriteLine("B1", "b1"), A.WriteLine("B2", "b2"), A.WriteLine("X", "x"))
            .Connect("start", "fork").Connect("fork", "A", "a").Connect("fork", "B1", "b")
            .Chain("A", "X").Chain("B1", "B2", "X");
        return mode is null ? flow : flow.MergeMode("X", mode);
    }

    // start -> fork; fork.a -> A -> X; fork.d -> D (false) .True -> B -> X: the b branch is dead.
    private static Flow DeadBranch(string? mode)
    {
        var flow = new Flow()
            .Add(A.Start(), A.FlowFork("fork", "a", "d"), A.WriteLine("A", "a"), A.Decision("D", "false"), A.WriteLine("B", "b"), A.WriteLine("X", "x"))
            .Connect("start", "fork").Connect("fork", "A", "a").Connect("fork", "D", "d").Connect("D", "B", "True")
            .Chain("A", "X").Chain("B", "X");
        return mode is null ? flow : flow.MergeMode("X", mode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("None")]
    [InlineData("Stream")]
    public async Task Stream_merge_runs_once_when_a_branch_is_dead(string? mode)
    {
        var run = await Runner.StartAsync(DeadBranch(mode));

        Assert.Equal(["a", "x"], run.Lines);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }

    [Fact]
    public async Task Stream_merge_waits_while_a_sibling_branch_is_still_about_to_run()
    {
        var run = await Runner.StartAsync(new Flow()
            .Add(A.Start(), A.FlowFork("fork", "a", "b"), A.WriteLine("A", "a"), A.WriteLine("B", "b"), A.WriteLine("X", "x"))
            .Connect("start", "fork").Connect("fork", "A", "a").Connect("fork", "B", "b").Chain("A", "X").Chain("B", "X"));

        Assert.Equal(["a", "b", "x"], run.Lines);
        Assert.Equal(1, run.State.CompletedCounts["X"]);
    }

    [Fact]
    public async Task Stream_merge_runs_once_per_arrival_when_the_branches_are_uneven()
    {
        // The approximation: when A arrives nothing feeding X is about to run (B1 is, but it does not feed X directly).
        var run = await Runner.StartAsync(UnevenBranches("Stream"));

        Assert.Equal(["a", "b1", "x", "b2", "x"], run.Lines);
        Assert.Equal(2, run.State.CompletedCounts["X"]);
    }

    [Fact]
    public async Task Merge_waits_for_every_forward_inbound_branch()
    {
        var run = await Runner.StartAsync(UnevenBranches("Merge"));

        Assert.Equal(["a", "b1", "b2", "x"], run.Lines);
    }

    [Fact]
    public async Task Merge_never_runs_when_a_branch_is_dead_and_the_flowchart_still_finishes()
    {
        var run = await Runner.StartAsync(DeadBranch("Merge"));

        Assert.Equal(["a"], run.Lines);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
        Assert.Null(run.State.Activities.FirstOrDefault());
    }

    // start -> X -> inc -> D (n < 2) .True -> X (backward), .False -> done.
    private static Flow LoopInto(string mode) => new Flow()
        .Variable("N", "Int32", 0)
        .Add(A.Start(), A.WriteLine("X", "x"), A.SetVariable("inc", "N", In.Js("getN() + 1")), A.Decision("D", "getN() < 2"), A.WriteLine("done", "done"))
        .Chain("start", "X", "inc", "D").Connect("D", "X", "True").Connect("D", "done", "False")
        .MergeMode("X", mode);

    [Fact]
    public async Task Merge_ignores_a_backward_connection_so_a_loop_runs()
    {
        var run = await Runner.StartAsync(LoopInto("Merge"));

        Assert.Equal(["x", "x", "done"], run.Lines);
    }

    [Fact]
    public async Task Converge_also_waits_for_the_backward_connection_so_the_loop_entry_never_runs()
    {
        var run = await Runner.StartAsync(LoopInto("Converge"));

        Assert.Empty(run.Lines);
        Assert.False(run.State.CompletedCounts.ContainsKey("X"));
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }

    [Fact]
    public async Task Converge_waits_for_every_branch_like_Merge_when_there_is_no_loop()
    {
        Assert.Equal(["a", "b1", "b2", "x"], (await Runner.StartAsync(UnevenBranches("Converge"))).Lines);
        Assert.Equal(["a"], (await Runner.StartAsync(DeadBranch("Converge"))).Lines);
    }

    [Fact]
    public async Task Cascade_runs_on_the_first_arrival_absorbs_the_later_one_and_cancels_nothing()
    {
        var run = await Runner.StartAsync(UnevenBranches("Cascade"));

        Assert.Equal(["a", "b1", "x", "b2"], run.Lines);
        Assert.Equal(1, run.State.CompletedCounts["X"]);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }

    [Fact]
    public async Task Race_runs_on_the_first_arrival_and_cancels_the_other_branch()
    {
        var run = await Runner.StartAsync(UnevenBranches("Race"));

        Assert.Equal(["a", "x"], run.Lines);
        Assert.False(run.State.CompletedCounts.ContainsKey("B1"));
        Assert.Contains(run.Last.Log, e => e is { ActivityId: "B1", Event: "Cancelled" });
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }

    [Fact]
    public async Task Race_cancels_a_branch_that_waits_on_an_event()
    {
        var run = await Runner.StartAsync(new Flow()
            .Add(A.Start(), A.FlowFork("fork", "a", "b"), A.Event("wait", "slow"), A.WriteLine("B", "fast"), A.WriteLine("X", "x"))
            .Connect("start", "fork").Connect("fork", "wait", "a").Connect("fork", "B", "b").Chain("wait", "X").Chain("B", "X")
            .MergeMode("X", "Race"));

        Assert.Equal(["fast", "x"], run.Lines);
        Assert.Empty(run.State.Bookmarks);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }
}
