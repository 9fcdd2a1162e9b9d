using System.Diagnostics;
using System.Text.Json.Nodes;
using Workflows.Engine.Activities;
using Workflows.Engine.Definitions;
using Workflows.Engine.Execution;

namespace Workflows.Bench;

/// <summary>
/// --profile for the engine: the fixed cost of a run and the marginal cost of one activity, from tiny flowcharts built
/// here (Start → k × activity → End) with the same options as the engine scenario.
/// </summary>
internal static class EngineProfile
{
    public static List<EngineCost> Run()
    {
        var engine = new WorkflowEngine(ActivityRegistry.CreateDefault(), new WorkflowEngineOptions
        {
            Console = TextWriter.Null,
            CaptureWriteLines = false,
            CaptureExecutionLog = false,
        }, TimeProvider.System);

        var empty = Measure(engine, Flow([]));
        var one = Measure(engine, Flow([WriteLine(1)]));
        var two = Measure(engine, Flow([WriteLine(1), WriteLine(2)]));
        var js1 = Measure(engine, Flow([SetCounter(1)]));
        var js2 = Measure(engine, Flow([SetCounter(1), SetCounter(2)]));
        var costs = new List<EngineCost>
        {
            new("a run of Start → End", empty.Us, empty.Bytes),
            new("one more WriteLine (literal text)", two.Us - one.Us, two.Bytes - one.Bytes),
            new("the first JavaScript SetVariable of a run (creates the run's Jint engine)", js1.Us - empty.Us, js1.Bytes - empty.Bytes),
            new("each further JavaScript SetVariable", js2.Us - js1.Us, js2.Bytes - js1.Bytes),
        };
        Console.WriteLine("## engine profile: fixed and marginal costs");
        foreach (var c in costs) Console.WriteLine($"   {c.Microseconds,9:F2} µs  {c.Bytes,10:N0} B  {c.What}");
        return costs;
    }

    /// <summary>Time: the fastest of 5 batches (the least disturbed by anything else on the machine); bytes: all batches.</summary>
    private static (double Us, double Bytes) Measure(WorkflowEngine engine, WorkflowDefinition definition)
    {
        for (var i = 0; i < 2000; i++) Run(engine, definition);
        const int batches = 5, runs = 4000;
        var best = double.MaxValue;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var b = 0; b < batches; b++)
        {
            var t = Stopwatch.GetTimestamp();
            for (var i = 0; i < runs; i++) Run(engine, definition);
            best = Math.Min(best, Stopwatch.GetElapsedTime(t).TotalMicroseconds / runs);
        }
        var bytes = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)(batches * runs);
        return (Math.Round(best, 2), Math.Round(bytes, 0));
    }

    private static void Run(WorkflowEngine engine, WorkflowDefinition definition)
    {
        var pending = engine.StartAsync(definition);
        var result = pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        if (result.SubStatus != WorkflowSubStatus.Finished) throw new InvalidOperationException($"Profile flow ended {result.SubStatus}.");
    }

    private static JsonObject Input(string type, JsonNode value, string typeName) =>
        new() { ["typeName"] = typeName, ["expression"] = new JsonObject { ["type"] = type, ["value"] = value } };

    private static JsonObject WriteLine(int i) => new()
    {
        ["id"] = $"w{i}", ["type"] = "Elsa.WriteLine", ["version"] = 1, ["text"] = Input("Literal", $"line {i}", "String"),
    };

    private static JsonObject SetCounter(int i) => new()
    {
        ["id"] = $"s{i}", ["type"] = "Elsa.SetVariable", ["version"] = 1,
        ["variable"] = new JsonObject { ["id"] = "var-Counter", ["name"] = "Counter" },
        ["value"] = Input("JavaScript", "getCounter() + 1", "Object"),
    };

    private static WorkflowDefinition Flow(JsonObject[] middle)
    {
        var activities = new JsonArray { new JsonObject { ["id"] = "start", ["type"] = "Elsa.Start", ["version"] = 1 } };
        foreach (var a in middle) activities.Add(a);
        activities.Add(new JsonObject { ["id"] = "end", ["type"] = "Elsa.End", ["version"] = 1 });
        var ids = activities.Select(a => (string)a!["id"]!).ToList();
        var connections = new JsonArray();
        for (var i = 0; i + 1 < ids.Count; i++)
            connections.Add(new JsonObject
            {
                ["source"] = new JsonObject { ["activity"] = ids[i], ["port"] = "Done" },
                ["target"] = new JsonObject { ["activity"] = ids[i + 1], ["port"] = "In" },
            });
        var doc = new JsonObject
        {
            ["definitionId"] = "bench-profile", ["version"] = 1,
            ["variables"] = new JsonArray { new JsonObject { ["id"] = "var-Counter", ["name"] = "Counter", ["typeName"] = "Int32", ["value"] = 0 } },
            ["root"] = new JsonObject { ["id"] = "flow", ["type"] = "Elsa.Flowchart", ["version"] = 1, ["activities"] = activities, ["connections"] = connections },
        };
        return DefinitionReader.Parse(doc.ToJsonString());
    }
}

internal sealed record EngineCost(string What, double Microseconds, double Bytes);
