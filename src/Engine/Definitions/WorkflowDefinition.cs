using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workflows.Engine.Definitions;

/// <summary>An Elsa 3 workflow definition: the raw JSON document plus the activity tree read from it.</summary>
public sealed class WorkflowDefinition
{
    private readonly Dictionary<string, ActivityNode> _byId;

    internal WorkflowDefinition(JsonObject raw, ActivityNode root, IReadOnlyList<VariableDefinition> variables)
    {
        Raw = raw;
        Root = root;
        Variables = variables;
        _byId = new Dictionary<string, ActivityNode>(StringComparer.Ordinal);
        foreach (var node in root.DescendantsAndSelf())
            _byId.TryAdd(node.Id, node);
    }

    public JsonObject Raw { get; }
    public ActivityNode Root { get; }
    public IReadOnlyList<VariableDefinition> Variables { get; }

    public string DefinitionId => Str("definitionId") ?? Str("id") ?? "";
    public int Version => Raw["version"] is JsonValue v && v.TryGetValue<int>(out var i) ? i : 1;
    public string? Name => Str("name");
    public string? Description => Str("description");

    public ActivityNode? Find(string activityId) => _byId.GetValueOrDefault(activityId);

    public IEnumerable<ActivityNode> AllActivities => Root.DescendantsAndSelf();

    /// <summary>Writes the definition back as JSON; nothing the engine does not interpret is lost.</summary>
    public string ToJson(bool indented = true) => Raw.ToJsonString(new JsonSerializerOptions
    {
        WriteIndented = indented,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    private string? Str(string name) => Raw[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
