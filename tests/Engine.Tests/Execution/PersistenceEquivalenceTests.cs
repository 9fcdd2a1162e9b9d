using System.Text.Json.Nodes;
using Workflows.Engine.Execution;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Execution;

/// <summary>A run saved to JSON and reloaded between every step ends exactly like one that never left memory.</summary>
public sealed class PersistenceEquivalenceTests
{
    // Correlate, an event payload bound to a variable, a ForEach whose body waits per item,
    // then a fork of a Delay and an Event joined with WaitAll, an output and a last line.
    private static Flow OrderFlow()
    {
        var body = A.Node("body", "Elsa.Sequence", ("activities", new JsonArray(
            A.WriteLineJs("line", "'line ' + getCurrentValue()"),
            A.SetVariable("add", "Total", In.Js("getTotal() + getCurrentValue()")),
            A.Event("ack", "ack"))));
        return new Flow()
            .Variable("Total", "Int32", 0)
            .Variable("Order")
            .Add(A.Start(), A.Node("corr", "Elsa.Correlate", ("correlationId", In.Js("'order-' + getInput('OrderNo')"))),
                A.Event("placed", "OrderPlaced", resultVariable: "Order"),
                A.Node("each", "Elsa.ForEach", ("items", In.Js("getOrder().lines")), ("body", body)),
                A.FlowFork("fork", "x", "y"), A.Delay("delay", "00:10:00"), A.Event("confirm", "confirm"), A.Join("join", "WaitAll"),
                A.SetOutput("out", "total", In.Js("getTotal()")), A.WriteLineJs("done", "'done ' + getCorrelationId()"))
            .Chain("start", "corr", "placed", "each", "fork")
            .Connect("fork", "delay", "x").Connect("fork", "confirm", "y")
            .Chain("delay", "join").Chain("confirm", "join").Chain("join", "out", "done");
    }

    private static readonly (string ActivityId, string? Payload)[] Steps =
        [("placed", """{"lines":[2,3]}"""), ("ack", null), ("ack", null), ("delay", null), ("confirm", null)];

    private static async Task<(Runner Run, List<string> States)> RunAll(bool saveBetweenSteps)
    {
        var run = new Runner(OrderFlow().Definition()) { SaveBetweenSteps = saveBetweenSteps };
        await run.StartAsync(new StartOptions { InstanceId = "order-instance", Input = new JsonObject { ["OrderNo"] = 17 } });
        var states = new List<string> { run.State.ToJson() };
        foreach (var (activityId, payload) in Steps)
        {
            run.Time.Advance(TimeSpan.FromMinutes(10));
            await run.ResumeAsync(activityId, payload is null ? null : JsonNode.Parse(payload));
            states.Add(run.State.ToJson());
        }
        return (run, states);
    }

    [Fact]
    public async Task The_run_does_what_the_flow_says()
    {
        var (run, _) = await RunAll(saveBetweenSteps: false);

        Assert.Equal(["line 2", "line 3", "done order-17"], run.Lines);
        Assert.Equal(5L, (long)run.State.Output["total"]!);
        Assert.Equal("order-17", run.State.CorrelationId);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
        Assert.Equal(Runner.Epoch.AddMinutes(50), run.State.FinishedAt);
    }

    [Fact]
    public async Task Saving_and_reloading_between_every_step_gives_the_same_states_lines_and_outputs()
    {
        var (inMemory, memoryStates) = await RunAll(saveBetweenSteps: false);
        var (reloaded, reloadedStates) = await RunAll(saveBetweenSteps: true);

        Assert.Equal(memoryStates, reloadedStates);
        Assert.Equal(inMemory.State.ToJson(), reloaded.State.ToJson());
        Assert.Equal(inMemory.Lines, reloaded.Lines);
        Assert.True(JsonNode.DeepEquals(inMemory.State.Output, reloaded.State.Output));
    }

    [Fact]
    public async Task A_waiting_state_survives_its_JSON_round_trip_unchanged()
    {
        var run = await new Runner(OrderFlow().Definition()).StartAsync(new StartOptions { InstanceId = "i", Input = new JsonObject { ["OrderNo"] = 1 } });
        await run.ResumeAsync("placed", JsonNode.Parse("""{"lines":[4]}"""));

        var json = run.State.ToJson();
        var reloaded = WorkflowState.FromJson(json);

        Assert.Equal(json, run.State.ToJson()); // writing the state does not change it
        Assert.DoesNotContain("\"props\"", json);

        Assert.Equal(json, reloaded.ToJson());
        Assert.Equal(["ack"], reloaded.Bookmarks.Select(b => b.ActivityId));
        Assert.Equal(WorkflowSubStatus.Suspended, reloaded.SubStatus);
        Assert.Contains(reloaded.Activities, a => a.ActivityId == "flow1" && a.Tokens is not null);
    }
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task For_While_and_If_keep_their_place_across_a_save_and_reload(bool saveBetweenSteps)
    {
        var forBody = A.Node("forSeq", "Elsa.Sequence", ("activities", new JsonArray(A.Event("forWait", "next"), A.WriteLineJs("forLine", "'for ' + getCurrentValue()"))));
        var whileBody = A.Node("whileSeq", "Elsa.Sequence", ("activities", new JsonArray(
            A.Delay("whileWait", "00:01:00"), A.SetVariable("inc", "I", In.Js("getI() + 1")), A.WriteLineJs("whileLine", "'while ' + getI()"))));
        var flow = new Flow()
            .Variable("I", "Int32", 0)
            .Add(A.Start(),
                A.Node("for", "Elsa.For", ("start", In.Literal(1, "Int32")), ("end", In.Literal(2, "Int32")), ("body", forBody)),
                A.Node("while", "Elsa.While", ("condition", In.Js("getI() < 2", "Boolean")), ("body", whileBody)),
                A.Node("if", "Elsa.If", ("condition", In.Js("getI() == 2", "Boolean")), ("then", A.Event("ifWait", "last"))),
                A.WriteLine("yes", "true port"), A.WriteLine("done", "done port"))
            .Chain("start", "for", "while", "if").Connect("if", "yes", "True").Connect("if", "done");
        var run = new Runner(flow.Definition()) { SaveBetweenSteps = saveBetweenSteps };
        await run.StartAsync();

        foreach (var step in new[] { "forWait", "forWait", "whileWait", "whileWait", "ifWait" })
            await run.ResumeAsync(step);

        Assert.Equal(["for 1", "for 2", "while 1", "while 2", "true port", "done port"], run.Lines);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }
}
