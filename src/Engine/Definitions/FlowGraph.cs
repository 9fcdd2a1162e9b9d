namespace Workflows.Engine.Definitions;

/// <summary>
/// The graph of one flowchart: its activities, connections, start activity and which connections
/// point backwards (close a loop). Built once per definition and cached on the flowchart node.
/// </summary>
public sealed class FlowGraph
{
    private readonly Dictionary<string, List<Connection>> _outbound = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Connection>> _inbound = new(StringComparer.Ordinal);
    private readonly HashSet<Connection> _backward = [];

    private FlowGraph(ActivityNode flowchart)
    {
        Flowchart = flowchart;
        Activities = flowchart.ChildrenFor("activities").ToList();
        var ids = Activities.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        Connections = flowchart.Connections.Where(c => ids.Contains(c.SourceId) && ids.Contains(c.TargetId)).ToList();
        foreach (var c in Connections)
        {
            Bucket(_outbound, c.SourceId).Add(c);
            Bucket(_inbound, c.TargetId).Add(c);
        }
        Start = FindStart();
        MarkBackwardConnections();
    }

    public ActivityNode Flowchart { get; }
    public IReadOnlyList<ActivityNode> Activities { get; }

    /// <summary>Connections whose both ends exist (dangling ones are reported by validation and ignored).</summary>
    public IReadOnlyList<Connection> Connections { get; }

    public ActivityNode? Start { get; }

    public static FlowGraph For(ActivityNode flowchart) => flowchart.Graph ??= new FlowGraph(flowchart);

    public IReadOnlyList<Connection> Outbound(string activityId) => _outbound.GetValueOrDefault(activityId) ?? [];
    public IReadOnlyList<Connection> Inbound(string activityId) => _inbound.GetValueOrDefault(activityId) ?? [];
    public IEnumerable<Connection> ForwardInbound(string activityId) => Inbound(activityId).Where(c => !_backward.Contains(c));
    public bool IsBackward(Connection c) => _backward.Contains(c);

    public ActivityNode? Activity(string id) => Activities.FirstOrDefault(a => a.Id == id);

    // Elsa's order: an explicit "start" (older exports), an Elsa.Start activity, then the first activity
    // that nothing leads into. A flowchart in which every activity has an inbound connection has no start.
    private ActivityNode? FindStart()
    {
        var explicitStart = Flowchart.Raw["start"]?.ToString();
        if (!string.IsNullOrEmpty(explicitStart))
            return Activities.FirstOrDefault(a => a.Id == explicitStart);
        return Activities.FirstOrDefault(a => a.Type == "Elsa.Start")
               ?? Activities.FirstOrDefault(a => Inbound(a.Id).Count == 0);
    }

    // A connection is backward when it leads to an activity still on the depth-first path from the start.
    private void MarkBackwardConnections()
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = on path, 2 = done
        var roots = (Start is null ? [] : new[] { Start }).Concat(Activities);
        foreach (var root in roots)
        {
            if (state.ContainsKey(root.Id)) continue;
            var stack = new Stack<(string Id, int Next)>();
            stack.Push((root.Id, 0));
            state[root.Id] = 1;
            while (stack.Count > 0)
            {
                var (id, next) = stack.Pop();
                var outs = Outbound(id);
                if (next < outs.Count)
                {
                    stack.Push((id, next + 1));
                    var c = outs[next];
                    if (!state.TryGetValue(c.TargetId, out var s))
                    {
                        state[c.TargetId] = 1;
                        stack.Push((c.TargetId, 0));
                    }
                    else if (s == 1) _backward.Add(c);
                }
                else state[id] = 2;
            }
        }
    }

    private static List<Connection> Bucket(Dictionary<string, List<Connection>> map, string key)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        return list;
    }
}
