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
                    $"A connection starts at '{c.SourceId}', which is not an activity of flowchart '{flowchart.Id}'.");
            if (!ids.Contains(c.TargetId))
                yield return ValidationProblem.Error(string.IsNullOrEmpty(c.TargetId) ? flowchart.Id : c.TargetId,
                    $"A connection from '{c.SourceId}' leads to '{c.TargetId}', which is not an activity of flowchart '{flowchart.Id}'.");
        }
        foreach (var c in graph.Connections)
        {
            var source = graph.Activity(c.SourceId)!;
            var ports = context.Registry.Find(source.Type)?.Ports(source);
            if (ports is { Count: > 0 } && !ports.Contains(c.SourcePort))
                yield return ValidationProblem.Warning(c.SourceId,
                    $"'{source.DisplayName}' has no outcome '{c.SourcePort}' (it has {string.Join(", ", ports)}); that connection is never taken.");
        }

        var explicitStart = flowchart.Raw["start"]?.ToString();
        if (!string.IsNullOrEmpty(explicitStart) && !ids.Contains(explicitStart))
            yield return ValidationProblem.Error(flowchart.Id, $"The start activity '{explicitStart}' does not exist.");
        else if (graph.Start is null)
        {
            yield return ValidationProblem.Error(flowchart.Id, graph.Activities.Count == 0
                ? $"Flowchart '{flowchart.Id}' has no activities, so there is no way to start."
                : $"Flowchart '{flowchart.Id}' has no way to start: every activity has an inbound connection and there is no Elsa.Start.");
            yield break;
        }

        var reached = Reachable(graph, graph.Start!.Id);
        foreach (var a in graph.Activities.Where(a => !reached.Contains(a.Id)))
            yield return ValidationProblem.Warning(a.Id, $"'{a.DisplayName}' cannot be reached from the start; it will never run.");

        foreach (var loop in LoopAnalysis.Cycles(graph))
        {
            if (loop.Any(id => context.Waits(graph.Activity(id)!))) continue;
            var names = string.Join(" → ", loop);
            var exits = loop.Any(id => graph.Outbound(id).Any(c => !loop.Contains(c.TargetId)));
            yield return exits
                ? ValidationProblem.Warning(loop[0], $"The loop {names} never waits; it relies on its condition to end (the run's step budget stops it otherwise).")
                : ValidationProblem.Error(loop[0], $"The loop {names} never waits and has no way out: it would run forever.");
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
