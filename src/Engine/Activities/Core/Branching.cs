using System.Text.Json.Nodes;
using Workflows.Engine.Definitions;
using Workflows.Engine.Execution;
using Workflows.Engine.Expressions;

namespace Workflows.Engine.Activities.Core;

/// <summary>Elsa.FlowDecision: leaves through True or False.</summary>
public sealed class FlowDecision : ActivityBehavior
{
    public override string TypeName => "Elsa.FlowDecision";
    public override string Category => "Branching";
    public override IReadOnlyList<string> Ports(ActivityNode node) => ["True", "False"];

    public override ValueTask ExecuteAsync(ActivityExecutionContext context) =>
        context.CompleteAsync(context.EvaluateBool("condition") ? "True" : "False");
}

/// <summary>Elsa.FlowSwitch: leaves through the label of the first (or every, in MatchAny mode) true case, else "Default".</summary>
public sealed class FlowSwitch : ActivityBehavior
{
    public override string TypeName => "Elsa.FlowSwitch";
    public override string Category => "Branching";

    public override IReadOnlyList<string> Ports(ActivityNode node) =>
        [.. Cases(node).Select(c => c.Label), "Default"];

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var matchAny = context.EvaluateString("mode") == "MatchAny";
        var matched = new List<string>();
        foreach (var (label, condition) in Cases(context.Node))
        {
            if (!ValueConverter.AsBool(context.Run.Expressions.EvaluateCondition(condition, context))) continue;
            matched.Add(label);
            if (!matchAny) break;
        }
        return context.CompleteAsync(matched.Count > 0 ? matched : ["Default"]);
    }

    internal static IEnumerable<(string Label, JsonNode? Condition)> Cases(ActivityNode node) =>
        (node.Raw["cases"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(c => (c["label"]?.ToString() ?? "", c["condition"]));
}

/// <summary>Elsa.FlowFork: leaves through every branch name at once.</summary>
public sealed class FlowFork : ActivityBehavior
{
    public override string TypeName => "Elsa.FlowFork";
    public override string Category => "Branching";

    public override IReadOnlyList<string> Ports(ActivityNode node) => [];

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var branches = context.Evaluate("branches") switch
        {
            JsonArray a => a.Select(ValueConverter.AsString).OfType<string>().ToArray(),
            { } v when ValueConverter.AsString(v) is { } s => s.Split([',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            _ => [],
        };
        return context.CompleteAsync(branches);
    }
}

/// <summary>Elsa.FlowJoin: WaitAll waits for every forward inbound connection; WaitAny runs on the first and stops the rest.</summary>
public sealed class FlowJoin : ActivityBehavior
{
    public override string TypeName => "Elsa.FlowJoin";
    public override string Category => "Branching";

    public override ValueTask ExecuteAsync(ActivityExecutionContext context) => context.CompleteAsync();

    // Elsa's Mode input defaults to WaitAny, so a join without a mode races too.
    public override MergeMode GetMergeMode(ActivityExecutionContext flowchart, ActivityNode node) =>
        ValueConverter.AsString(flowchart.EvaluateInputOf(node, "mode")) is null or "" or "WaitAny" ? MergeMode.Race : MergeMode.Merge;
}

/// <summary>Elsa.If: runs "then" or "else"; in a flowchart it then leaves through True/False and Done.</summary>
public sealed class If : ActivityBehavior
{
    public override string TypeName => "Elsa.If";
    public override string Category => "Branching";
    public override IReadOnlyList<string> Ports(ActivityNode node) => ["True", "False", "Done"];

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var result = context.EvaluateBool("condition");
        context.Record.Props["result"] = result;
        var branch = context.Node.ChildFor(result ? "then" : "else");
        if (branch is null) return Finish(context, result);
        context.ScheduleChild(branch);
        return ValueTask.CompletedTask;
    }

    public override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ChildCompleted child) =>
        Finish(context, ValueConverter.AsBool(context.Record.Properties?["result"]));

    private static ValueTask Finish(ActivityExecutionContext context, bool result) =>
        context.CompleteAsync(result ? "True" : "False", "Done");
}

/// <summary>Elsa.Switch: runs the activity of the first matching case (or of all, in MatchAny mode), else "default".</summary>
public sealed class Switch : ActivityBehavior
{
    public override string TypeName => "Elsa.Switch";
    public override string Category => "Branching";

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var matchAny = context.EvaluateString("mode") == "MatchAny";
        var scheduled = 0;
        foreach (var c in (context.Node.Raw["cases"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (!ValueConverter.AsBool(context.Run.Expressions.EvaluateCondition(c["condition"], context))) continue;
            var activity = context.Node.Children.FirstOrDefault(n => ReferenceEquals(n.Raw, c["activity"]));
            if (activity is not null) { context.ScheduleChild(activity); scheduled++; }
            else if (!matchAny) return context.CompleteAsync();
            if (!matchAny) break;
        }
        if (scheduled == 0)
        {
            var fallback = context.Node.ChildFor("default");
            if (fallback is null) return context.CompleteAsync();
            context.ScheduleChild(fallback);
        }
        return ValueTask.CompletedTask;
    }

    public override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ChildCompleted child) =>
        context.HasPendingChildren ? ValueTask.CompletedTask : context.CompleteAsync();
}
