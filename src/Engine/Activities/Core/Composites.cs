using System.Text.Json.Nodes;
using Workflows.Engine.Execution;

namespace Workflows.Engine.Activities.Core;

/// <summary>Elsa.Sequence: runs its activities one after another.</summary>
public sealed class Sequence : ActivityBehavior
{
    public override string TypeName => "Elsa.Sequence";
    public override string Category => "Flow";

    public override ValueTask ExecuteAsync(ActivityExecutionContext context) => Next(context, 0);

    public override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ChildCompleted child) =>
        Next(context, (int?)context.Record.Props["index"] + 1 ?? 0);

    private static ValueTask Next(ActivityExecutionContext context, int index)
    {
        var activities = context.Node.ChildrenFor("activities").ToList();
        if (index >= activities.Count) return context.CompleteAsync();
        context.Record.Props["index"] = index;
        context.ScheduleChild(activities[index]);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Elsa.Fork: runs its branches side by side; WaitAll (default) or WaitAny.</summary>
public sealed class Fork : ActivityBehavior
{
    public override string TypeName => "Elsa.Fork";
    public override string Category => "Flow";

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var branches = context.Node.ChildrenFor("branches").ToList();
        if (branches.Count == 0) return context.CompleteAsync();
        foreach (var b in branches) context.ScheduleChild(b);
        return ValueTask.CompletedTask;
    }

    public override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ChildCompleted child)
    {
        var waitAny = context.EvaluateString("joinMode") == "WaitAny";
        return waitAny || !context.HasPendingChildren ? context.CompleteAsync() : ValueTask.CompletedTask;
    }
}

/// <summary>Elsa.FlowNode: wraps one activity (usually a nested flowchart) and completes when it does.</summary>
public sealed class FlowNode : ActivityBehavior
{
    public override string TypeName => "Elsa.FlowNode";
    public override string Category => "Flow";

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var body = context.Node.ChildFor("body");
        if (body is null) return context.CompleteAsync();
        context.ScheduleChild(body);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Elsa.ParallelForEach: runs its body once per item, all at once; completes when every run has.</summary>
public sealed class ParallelForEach : ActivityBehavior
{
    public override string TypeName => "Elsa.ParallelForEach";
    public override string Category => "Looping";

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var items = Loops.Items(context);
        var body = context.Node.ChildFor("body");
        if (items.Count == 0 || body is null) return context.CompleteAsync();
        for (var i = 0; i < items.Count; i++)
            context.ScheduleChild(body, new JsonObject { ["currentValue"] = items[i]?.DeepClone(), ["currentIndex"] = i });
        return ValueTask.CompletedTask;
    }

    public override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ChildCompleted child) =>
        context.HasPendingChildren ? ValueTask.CompletedTask : context.CompleteAsync();
}
