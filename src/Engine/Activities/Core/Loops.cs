using System.Text.Json.Nodes;
using Workflows.Engine.Definitions;
using Workflows.Engine.Execution;
using Workflows.Engine.Expressions;

namespace Workflows.Engine.Activities.Core;

internal static class Loops
{
    public static readonly HashSet<string> LoopTypes = ["Elsa.ForEach", "Elsa.For", "Elsa.While", "Elsa.ParallelForEach"];

    public static List<JsonNode?> Items(ActivityExecutionContext context) => context.Evaluate("items") switch
    {
        JsonArray a => [.. a.Select(i => i?.DeepClone())],
        JsonObject o => [.. o.Select(p => (JsonNode?)new JsonObject { ["key"] = p.Key, ["value"] = p.Value?.DeepClone() })],
        JsonValue v when ValueConverter.AsString(v) is { } s => [.. s.Split(',', StringSplitOptions.TrimEntries).Select(x => (JsonNode?)JsonValue.Create(x))],
        _ => [],
    };

    /// <summary>Runs the body once more with the given current value, or completes the loop.</summary>
    public static ValueTask Iterate(ActivityExecutionContext context, JsonNode? currentValue, bool more)
    {
        var body = context.Node.ChildFor("body");
        if (!more) return context.CompleteAsync();
        context.Record.Props["currentValue"] = currentValue?.DeepClone();
        context.SetOutput("currentValue", currentValue);
        if (body is null) return context.CompleteAsync();
        context.ScheduleChild(body);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Elsa.ForEach: runs its body once per item, one after another.</summary>
public sealed class ForEach : ActivityBehavior
{
    public override string TypeName => "Elsa.ForEach";
    public override string Category => "Looping";

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var items = new JsonArray([.. Loops.Items(context)]);
        context.Record.Props["items"] = items;
        return Step(context, 0);
    }

    public override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ChildCompleted child) =>
        Step(context, (int)context.Record.Props["index"]! + 1);

    private static ValueTask Step(ActivityExecutionContext context, int index)
    {
        var items = (JsonArray)context.Record.Props["items"]!;
        context.Record.Props["index"] = index;
        if (context.Node.ChildFor("body") is null) return context.CompleteAsync();
        return Loops.Iterate(context, index < items.Count ? items[index] : null, index < items.Count);
    }
}

/// <summary>Elsa.For: counts from start to end by step (end included when outerBoundInclusive, the default).</summary>
public sealed class For : ActivityBehavior
{
    public override string TypeName => "Elsa.For";
    public override string Category => "Looping";

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var start = ValueConverter.AsDouble(context.Evaluate("start")) ?? 0;
        var step = ValueConverter.AsDouble(context.Evaluate("step")) ?? 1;
        if (step == 0) throw context.Fault("For: step must not be 0.");
        if (context.Node.ChildFor("body") is null) return context.CompleteAsync();
        return Step(context, start, step);
    }

    public override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ChildCompleted child)
    {
        var step = (double)context.Record.Props["step"]!;
        return Step(context, (double)context.Record.Props["i"]! + step, step);
    }

    private static ValueTask Step(ActivityExecutionContext context, double i, double step)
    {
        var end = ValueConverter.AsDouble(context.Evaluate("end")) ?? 0;
        var inclusive = !context.HasInput("outerBoundInclusive") || context.EvaluateBool("outerBoundInclusive");
        var more = step > 0 ? (inclusive ? i <= end : i < end) : (inclusive ? i >= end : i > end);
        context.Record.Props["i"] = i;
        context.Record.Props["step"] = step;
        return Loops.Iterate(context, JsonValue.Create(i == Math.Floor(i) ? (long)i : i), more);
    }
}

/// <summary>Elsa.While: runs its body as long as the condition holds (checked before each round).</summary>
public sealed class While : ActivityBehavior
{
    public override string TypeName => "Elsa.While";
    public override string Category => "Looping";

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (context.Node.ChildFor("body") is null && context.EvaluateBool("condition"))
            throw context.Fault("While has no body and its condition is true: it would never end.");
        return Step(context);
    }

    public override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ChildCompleted child) => Step(context);

    private static ValueTask Step(ActivityExecutionContext context) =>
        Loops.Iterate(context, null, context.Node.ChildFor("body") is not null && context.EvaluateBool("condition"));
}

/// <summary>Elsa.Break: ends the nearest enclosing loop.</summary>
public sealed class Break : ActivityBehavior
{
    public override string TypeName => "Elsa.Break";
    public override string Category => "Looping";
    public override IReadOnlyList<string> Ports(ActivityNode node) => [];

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        for (var c = context.Parent; c is not null; c = c.Parent)
            if (Loops.LoopTypes.Contains(c.Node.Type))
                return c.CompleteAsync();
        throw context.Fault("Break is not inside a loop (ForEach, For, While).");
    }
}
