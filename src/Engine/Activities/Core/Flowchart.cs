using Workflows.Engine.Definitions;
using Workflows.Engine.Execution;

namespace Workflows.Engine.Activities.Core;

/// <summary>
/// Elsa.Flowchart with token semantics: a completed activity puts a token on each connection leaving
/// through one of its outcomes; the target runs according to its merge mode; the flowchart completes when
/// nothing inside it is scheduled or waiting. The rules are written down in docs/semantics.md.
/// </summary>
public sealed class Flowchart : ActivityBehavior
{
    public const string Type = "Elsa.Flowchart";
    public override string TypeName => Type;
    public override string Category => "Flow";

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var graph = FlowGraph.For(context.Node);
        // An empty flowchart has nothing to run; one whose every activity is entered from another starts at
        // its first listed activity, as Elsa does (validation reports it as having no way to start).
        var start = graph.Start ?? graph.Activities.FirstOrDefault();
        if (start is null) return context.CompleteAsync();
        context.Record.Tokens = [];
        context.ScheduleChild(start);
        return ValueTask.CompletedTask;
    }

    public override async ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ChildCompleted child)
    {
        var graph = FlowGraph.For(context.Node);
        var tokens = context.Record.Tokens ??= [];
        var behavior = context.Run.BehaviorOf(child.Node);

        if (behavior.IsTerminal)
        {
            tokens.Clear();
            await context.CompleteAsync(child.Node.Type == Complete.Type ? child.Outcomes : ["Done"]);
            return;
        }

        var active = graph.Outbound(child.Node.Id).Where(c => child.Outcomes.Contains(c.SourcePort)).Distinct().ToList();
        foreach (var c in active)
            tokens.Add(new FlowToken { From = c.SourceId, To = c.TargetId, Port = c.SourcePort });
        foreach (var t in tokens.Where(t => t.To == child.Node.Id && t is { Consumed: false, Blocked: false }))
            t.Consumed = true;

        foreach (var connection in active)
        {
            var target = graph.Activity(connection.TargetId)!;
            var mode = context.Run.BehaviorOf(target).GetMergeMode(context, target);
            if (ShouldSchedule(context, graph, tokens, connection, target, mode))
                context.ScheduleChild(target);
        }

        if (!context.HasPendingChildren)
        {
            tokens.Clear();
            await context.CompleteAsync();
            return;
        }
        tokens.RemoveAll(t => t.To == child.Node.Id && t.Consumed);
    }

    private static bool ShouldSchedule(ActivityExecutionContext context, FlowGraph graph, List<FlowToken> tokens,
        Connection connection, ActivityNode target, MergeMode mode)
    {
        switch (mode)
        {
            case MergeMode.Cascade:
            case MergeMode.Race:
                var blocked = tokens.FirstOrDefault(t => t.Blocked && t.To == target.Id && t.From == connection.SourceId && t.Port == connection.SourcePort);
                if (blocked is not null)
                {
                    // A later arrival on a path the first arrival already closed: absorb it.
                    blocked.Consumed = true;
                    tokens.Remove(blocked);
                    return false;
                }
                if (mode == MergeMode.Race)
                {
                    // Every other inbound branch is cancelled, so none of them can arrive later in this round.
                    // Blocking them as well would leave stale blocks that swallow the first arrival of the next
                    // round when the target sits in a loop.
                    CancelInboundAncestors(context, graph, target);
                    return true;
                }
                foreach (var other in graph.ForwardInbound(target.Id).Where(c => c.SourceId != connection.SourceId))
                    tokens.Add(new FlowToken { From = other.SourceId, To = other.TargetId, Port = other.SourcePort, Blocked = true });
                return true;

            case MergeMode.Merge:
            case MergeMode.Converge:
                var inbound = (mode == MergeMode.Merge ? graph.ForwardInbound(target.Id) : graph.Inbound(target.Id)).ToList();
                if (inbound.Count <= 1) return true;
                return inbound.All(c => tokens.Any(t => t is { Consumed: false, Blocked: false }
                    && t.From == c.SourceId && t.To == target.Id && t.Port == c.SourcePort));

            default:
                // Stream: run now, unless an activity that feeds the target is itself still about to run.
                return !graph.ForwardInbound(target.Id).Any(c =>
                    tokens.Any(t => t is { Consumed: false, Blocked: false } && t.To == c.SourceId));
        }
    }

    // Race: the first branch to arrive wins; whatever still runs on the other branches into the target stops.
    private static void CancelInboundAncestors(ActivityExecutionContext context, FlowGraph graph, ActivityNode target)
    {
        var ancestors = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([target.Id]);
        while (pending.Count > 0)
            foreach (var c in graph.ForwardInbound(pending.Pop()))
                if (ancestors.Add(c.SourceId)) pending.Push(c.SourceId);

        foreach (var record in context.Children.Where(r => ancestors.Contains(r.ActivityId)).ToList())
        {
            context.Cancel(record);
            context.Record.Tokens?.RemoveAll(t => t.To == record.ActivityId || t.From == record.ActivityId);
        }
    }
}
