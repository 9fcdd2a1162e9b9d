using System.Text.Json.Nodes;
using Workflows.Engine.Execution;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Activities;

/// <summary>ForEach, For, While, Break and ParallelForEach.</summary>
public sealed class LoopActivityTests
{
    private static Task<Runner> RunLoop(JsonObject loop, Flow? flow = null) =>
        Runner.StartAsync((flow ?? new Flow()).Add(A.Start(), loop, A.WriteLine("after", "after")).Chain("start", loop["id"]!.ToString(), "after"));

    [Fact]
    public async Task ForEach_runs_its_body_once_per_item_in_order()
    {
        var run = await RunLoop(A.Node("loop", "Elsa.ForEach", ("items", In.Object("[\"a\",\"b\",\"c\"]")),
            ("body", A.WriteLineJs("w", "'item ' + getCurrentValue()"))));

        Assert.Equal(["item a", "item b", "item c", "after"], run.Lines);
    }

    [Fact]
    public async Task ForEach_over_no_items_completes_at_once()
    {
        var run = await RunLoop(A.Node("loop", "Elsa.ForEach", ("items", In.Js("[]")), ("body", A.WriteLine("w", "body"))));

        Assert.Equal(["after"], run.Lines);
    }

    [Theory]
    [InlineData(1, 3, 1, null, new[] { "1", "2", "3", "after" })]
    [InlineData(1, 3, 1, true, new[] { "1", "2", "3", "after" })]
    [InlineData(1, 3, 1, false, new[] { "1", "2", "after" })]
    [InlineData(3, 1, -1, true, new[] { "3", "2", "1", "after" })]
    [InlineData(0, 10, 5, false, new[] { "0", "5", "after" })]
    public async Task For_counts_from_start_to_end_with_the_end_included_unless_told_otherwise(int start, int end, int step, bool? inclusive, string[] expected)
    {
        var loop = A.Node("loop", "Elsa.For", ("start", In.Literal(start, "Int32")), ("end", In.Literal(end, "Int32")),
            ("step", In.Literal(step, "Int32")), ("body", A.WriteLineJs("w", "'' + getCurrentValue()")));
        if (inclusive is { } b) loop["outerBoundInclusive"] = In.Literal(b, "Boolean");

        var run = await RunLoop(loop);

        Assert.Equal(expected, run.Lines);
    }

    [Fact]
    public async Task While_repeats_its_body_while_the_condition_holds()
    {
        var body = A.Node("seq", "Elsa.Sequence", ("activities", new JsonArray(
            A.WriteLineJs("w", "'i=' + getI()"), A.SetVariable("inc", "I", In.Js("getI() + 1")))));
        var run = await RunLoop(A.Node("loop", "Elsa.While", ("condition", In.Js("getI() < 3", "Boolean")), ("body", body)),
            new Flow().Variable("I", "Int32", 0));

        Assert.Equal(["i=0", "i=1", "i=2", "after"], run.Lines);
        Assert.Equal(3L, (long)run.Variable("I")!);
    }

    [Fact]
    public async Task Break_ends_a_ForEach_early()
    {
        var body = new Flow("body")
            .Add(A.Decision("d", "getCurrentValue() == 'c'"), A.Node("break", "Elsa.Break"), A.WriteLineJs("w", "getCurrentValue()"))
            .Connect("d", "break", "True").Connect("d", "w", "False");
        var run = await RunLoop(A.Node("loop", "Elsa.ForEach", ("items", In.Object("[\"a\",\"b\",\"c\",\"d\"]")), ("body", body.AsActivity())));

        Assert.Equal(["a", "b", "after"], run.Lines);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }

    [Fact]
    public async Task Break_ends_a_While_whose_condition_is_always_true()
    {
        var body = new Flow("body")
            .Add(A.SetVariable("inc", "I", In.Js("getI() + 1")), A.Decision("d", "getI() >= 3"), A.Node("break", "Elsa.Break"), A.WriteLineJs("w", "'' + getI()"))
            .Chain("inc", "d").Connect("d", "break", "True").Connect("d", "w", "False");
        var run = await RunLoop(A.Node("loop", "Elsa.While", ("condition", In.Literal(true, "Boolean")), ("body", body.AsActivity())),
            new Flow().Variable("I", "Int32", 0));

        Assert.Equal(["1", "2", "after"], run.Lines);
        Assert.Equal(3L, (long)run.Variable("I")!);
    }

    [Fact]
    public async Task Break_outside_a_loop_faults()
    {
        var run = await Runner.StartAsync(new Flow().Add(A.Node("break", "Elsa.Break")));

        Assert.Equal(WorkflowSubStatus.Faulted, run.SubStatus);
        Assert.Contains("not inside a loop", Assert.Single(run.State.Incidents).Message);
    }

    [Fact]
    public async Task ParallelForEach_runs_the_body_for_every_item_with_its_current_value()
    {
        var run = await RunLoop(A.Node("loop", "Elsa.ParallelForEach", ("items", In.Js("[1, 2, 3]")),
            ("body", A.WriteLineJs("w", "'item ' + getCurrentValue()"))));

        Assert.Equal(["item 1", "item 2", "item 3", "after"], run.Lines);
        Assert.Equal(1, run.State.CompletedCounts["loop"]);
    }

    [Fact]
    public async Task ParallelForEach_with_a_waiting_body_waits_once_per_item_and_completes_after_the_last()
    {
        var body = new Flow("body").Add(A.Event("ev", "approve"), A.WriteLineJs("w", "'approved ' + getCurrentValue()")).Chain("ev", "w");
        var run = await RunLoop(A.Node("loop", "Elsa.ParallelForEach", ("items", In.Js("['x', 'y', 'z']")), ("body", body.AsActivity())));
        var bookmarks = run.State.Bookmarks.ToList();
        Assert.Equal(3, bookmarks.Count);

        foreach (var bookmark in Enumerable.Reverse(bookmarks))
        {
            Assert.DoesNotContain("after", run.Lines);
            await run.ResumeAsync(bookmark);
        }

        Assert.Equal(["approved z", "approved y", "approved x", "after"], run.Lines);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }
}
