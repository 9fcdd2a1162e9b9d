using Workflows.Engine.Definitions;

namespace Workflows.Engine.Validation;

/// <summary>Connections, start, reachability and loops of one flowchart.</summary>
internal static class FlowchartChecks
{
    public static IEnumerable<ValidationProblem> Check(ActivityNode flowchart, ValidationContext context)
    {
        var graph = FlowGraph.For(flowchart);
        var ids = graph.Activities.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);

        foreach (var c in flowchart.Connections)
        {
            if (!ids.Contains(c.SourceId))
                yield return ValidationProblem.Error(string.IsNullOrEmpty(c.SourceId) ? flowchart.Id : c.SourceId,
                    $"A connection starts at '{c.SourceId}', which is not an activity of flowchart '{flowchart.Id}'.",
                    $"有一条连线从“{c.SourceId}”出发，但流程图“{flowchart.Id}”中没有这个节点。");
            if (!ids.Contains(c.TargetId))
                yield return ValidationProblem.Error(string.IsNullOrEmpty(c.TargetId) ? flowchart.Id : c.TargetId,
                    $"A connection from '{c.SourceId}' leads to '{c.TargetId}', which is not an activity of flowchart '{flowchart.Id}'.",
                    $"从“{c.SourceId}”出发的连线指向“{c.TargetId}”，但流程图“{flowchart.Id}”中没有这个节点。");
        }
        foreach (var c in graph.Connections)
        {
            var source = graph.Activity(c.SourceId)!;
            var ports = context.Registry.Find(source.Type)?.Ports(source);
            if (ports is { Count: > 0 } && !ports.Contains(c.SourcePort))
            {
                var outcomes = string.Join(", ", ports);
                yield return ValidationProblem.Warning(c.SourceId,
                    $"'{source.DisplayName}' has no outcome '{c.SourcePort}' (it has {outcomes}); that connection is never taken.",
                    $"「{source.DisplayName}」没有出口“{c.SourcePort}”（它的出口是：{outcomes}），这条连线永远不会被走到。");
            }
        }

        var explicitStart = flowchart.Raw["start"]?.ToString();
        if (!string.IsNullOrEmpty(explicitStart) && !ids.Contains(explicitStart))
        {
            yield return ValidationProblem.Error(flowchart.Id, $"The start activity '{explicitStart}' does not exist.",
                $"指定的开始节点“{explicitStart}”不存在。");
            yield break; // no start: nothing can be said about what it reaches
        }
        if (graph.Start is null)
        {
            yield return graph.Activities.Count == 0
                ? ValidationProblem.Error(flowchart.Id, $"Flowchart '{flowchart.Id}' has no activities, so there is no way to start.",
                    $"流程图“{flowchart.Id}”中没有任何节点，无法开始。")
                : ValidationProblem.Error(flowchart.Id,
                    $"Flowchart '{flowchart.Id}' has no way to start: every activity has an inbound connection and there is no Elsa.Start.",
                    $"流程图“{flowchart.Id}”无法开始：每个节点都有连入的连线，并且没有开始节点（Elsa.Start）。");
            yield break;
        }

        var reached = Reachable(graph, graph.Start!.Id);
        foreach (var a in graph.Activities.Where(a => !reached.Contains(a.Id)))
            yield return ValidationProblem.Warning(a.Id, $"'{a.DisplayName}' cannot be reached from the start; it will never run.",
                $"「{a.DisplayName}」没有从开始节点连过来，永远不会执行。");

        foreach (var loop in LoopAnalysis.Cycles(graph))
        {
            if (loop.Any(id => context.Waits(graph.Activity(id)!))) continue;
            var names = string.Join(" → ", loop);
            var exits = loop.Any(id => graph.Outbound(id).Any(c => !loop.Contains(c.TargetId)));
            yield return exits
                ? ValidationProblem.Warning(loop[0],
                    $"The loop {names} never waits; it relies on its condition to end (the run's step budget stops it otherwise).",
                    $"循环 {names} 中没有任何等待，只能靠条件结束（否则会被单次运行的步数上限终止）。")
                : ValidationProblem.Error(loop[0], $"The loop {names} never waits and has no way out: it would run forever.",
                    $"循环 {names} 中没有任何等待，也没有出口：会一直运行下去。");
        }
    }

    private static HashSet<string> Reachable(FlowGraph graph, string start)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { start };
        var stack = new Stack<string>([start]);
        while (stack.Count > 0)
            foreach (var c in graph.Outbound(stack.Pop()))
                if (seen.Add(c.TargetId)) stack.Push(c.TargetId);
        return seen;
    }
}
