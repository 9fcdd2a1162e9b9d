using System.Text.Json.Nodes;

namespace Workflows.Engine.Definitions;

/// <summary>
/// One activity of a definition. The raw JSON object is kept as it was read so that whatever the
/// engine does not interpret (designer positions, custom properties, unknown inputs) survives a round trip.
/// </summary>
public sealed class ActivityNode
{
    private readonly List<ActivityNode> _children = [];

    internal ActivityNode(JsonObject raw, ActivityNode? parent, string? propertyName)
    {
        Raw = raw;
        Parent = parent;
        PropertyName = propertyName;
        Id = raw["id"] is JsonValue id && id.TryGetValue<string>(out var s) ? s : "";
        Type = raw["type"] is JsonValue t && t.TryGetValue<string>(out var ts) ? ts : "";
    }

    public string Id { get; }
    public string Type { get; }
    public JsonObject Raw { get; }
    public ActivityNode? Parent { get; }

    /// <summary>The property of the parent that holds this activity (e.g. "activities", "body", "then").</summary>
    public string? PropertyName { get; }

    public IReadOnlyList<ActivityNode> Children => _children;
    public string? Name => Raw["name"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? (string?)Raw["name"] : null;
    public string DisplayName => Name ?? Raw["metadata"]?["displayText"]?.ToString() ?? Id;

    /// <summary>Flowchart connections, when this node is a flowchart (empty otherwise).</summary>
    public IReadOnlyList<Connection> Connections { get; internal set; } = [];

    internal FlowGraph? Graph { get; set; }

    internal void AddChild(ActivityNode child) => _children.Add(child);

    public ActivityNode? ChildFor(string propertyName) => _children.FirstOrDefault(c => c.PropertyName == propertyName);

    public IEnumerable<ActivityNode> ChildrenFor(string propertyName) => _children.Where(c => c.PropertyName == propertyName);

    public IEnumerable<ActivityNode> DescendantsAndSelf()
    {
        yield return this;
        foreach (var child in _children)
        foreach (var d in child.DescendantsAndSelf())
            yield return d;
    }

    /// <summary>Elsa stores the merge mode in customProperties; "None" means the default (Stream).</summary>
    public string? MergeMode => Raw["customProperties"]?["mergeMode"]?.ToString();

    public override string ToString() => $"{Type} {Id}";
}
