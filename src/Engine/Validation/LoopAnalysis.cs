using Workflows.Engine.Definitions;

namespace Workflows.Engine.Validation;

/// <summary>Finds the loops of a flowchart: strongly connected components with a cycle (Tarjan's algorithm).</summary>
internal static class LoopAnalysis
{
    public static List<List<string>> Cycles(FlowGraph graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var onStack = new HashSet<string>();
        var stack = new Stack<string>();
        var result = new List<List<string>>();
        var counter = 0;

        void Visit(string v)
        {
            index[v] = low[v] = counter++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var c in graph.Outbound(v))
            {
                if (!index.ContainsKey(c.TargetId)) { Visit(c.TargetId); low[v] = Math.Min(low[v], low[c.TargetId]); }
                else if (onStack.Contains(c.TargetId)) low[v] = Math.Min(low[v], index[c.TargetId]);
            }
            if (low[v] != index[v]) return;
            var component = new List<string>();
            string w;
            do { w = stack.Pop(); onStack.Remove(w); component.Add(w); } while (w != v);
            component.Reverse();
            if (component.Count > 1 || graph.Outbound(v).Any(c => c.TargetId == v)) result.Add(component);
        }

        foreach (var a in graph.Activities)
            if (!index.ContainsKey(a.Id)) Visit(a.Id);
        return result;
    }
}
