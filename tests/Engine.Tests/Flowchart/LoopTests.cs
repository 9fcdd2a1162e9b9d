using Workflows.Engine.Execution;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Flowchart;

/// <summary>Loops made of flowchart connections that point backwards.</summary>
public sealed class LoopTests
{
    [Fact]
    public async Task A_backward_connection_loops_until_the_counter_decision_exits()
    {
        var run = await Runner.StartAsync(new Flow()
            .Variable("N", "Int32", 0)
            .Add(A.Start(), A.WriteLineJs("w", "'round ' + getN()"), A.SetVariable("inc", "N", In.Js("getN() + 1")),
                A.Decision("more", "getN() < 3"), A.WriteLine("done", "done"))
            .Chain("start", "w", "inc", "more").Connect("more", "w", "True").Connect("more", "done", "False"));

        Assert.Equal(["round 0", "round 1", "round 2", "done"], run.Lines);
        Assert.Equal(3L, (long)run.Variable("N")!);
        Assert.Equal(3, run.State.CompletedCounts["w"]);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }

    [Fact]
    public async Task A_loop_with_an_event_waits_once_per_round()
    {
        var run = await Runner.StartAsync(new Flow()
            .Variable("N", "Int32", 0)
            .Add(A.Start(), A.Event("tick", "tick"), A.SetVariable("inc", "N", In.Js("getN() + 1")), A.WriteLineJs("w", "'tick ' + getN()"),
                A.Decision("more", "getN() < 3"), A.WriteLine("done", "done"))
            .Chain("start", "tick", "inc", "w", "more").Connect("more", "tick", "True").Connect("more", "done", "False"));

        var seen = new HashSet<string>();
        for (var round = 1; round <= 3; round++)
        {
            Assert.Equal(WorkflowSubStatus.Suspended, run.SubStatus);
            var bookmark = run.BookmarkAt("tick");
            Assert.True(seen.Add(bookmark.Id), "each round waits on a new bookmark");
            await run.ResumeAsync("tick");
            Assert.Equal($"tick {round}", run.Lines[^(round == 3 ? 2 : 1)]);
        }

        Assert.Equal(["tick 1", "tick 2", "tick 3", "done"], run.Lines);
        Assert.Empty(run.State.Bookmarks);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }

    [Fact]
    public async Task A_loop_may_re_enter_an_activity_that_also_has_a_forward_inbound_connection()
    {
        // The loop re-enters "w", which also has the forward connection from start: the backward
        // connection does not count as a branch to wait for.
        var run = await Runner.StartAsync(new Flow()
            .Variable("N", "Int32", 0)
            .Add(A.Start(), A.WriteLine("w", "w"), A.SetVariable("inc", "N", In.Js("getN() + 1")), A.Decision("more", "getN() < 2"))
            .Chain("start", "w", "inc", "more").Connect("more", "w", "True")
            .MergeMode("w", "Merge"));

        Assert.Equal(["w", "w"], run.Lines);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }
}
