using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Engine.Validation;

namespace Workflows.Engine.Definitions;

/// <summary>Reads Elsa 3 workflow-definition JSON (both connection shapes Elsa's importer accepts).</summary>
public static class DefinitionReader
{
    // Properties that hold data about an activity rather than child activities.
    private static readonly HashSet<string> NonChildProperties =
        ["metadata", "customProperties", "connections", "variables", "applicationProperties", "inputs", "outputs"];

    public static ReadResult Read(string json)
    {
        JsonNode? node;
        try
        {
            // Some exported files start with a UTF-8 byte-order mark.
            node = JsonNode.Parse(json.TrimStart('\uFEFF'), documentOptions: new JsonDocumentOptions
            {
                AllowTrailingCommas = true,
                CommentHandling = JsonCommentHandling.Skip,
            });
        }
        catch (JsonException ex)
        {
            var (line, position) = ((ex.LineNumber ?? 0) + 1, (ex.BytePositionInLine ?? 0) + 1);
            var reason = FirstSentence(ex.Message);
            return ReadResult.Fail(ValidationProblem.Error(null,
                $"The definition is not valid JSON (line {line}, position {position}): {reason}",
                $"流程定义不是有效的 JSON（第 {line} 行第 {position} 列）：{reason}"));
        }

        if (node is not JsonObject raw)
            return ReadResult.Fail(ValidationProblem.Error(null, "The definition must be a JSON object.", "流程定义必须是一个 JSON 对象。"));
        if (raw["root"] is not JsonObject rootJson)
            return ReadResult.Fail(ValidationProblem.Error(null, "The definition has no \"root\" activity.", "流程定义缺少根节点（\"root\"）。"));

        var root = BuildNode(rootJson, null, null);
        var variables = ReadVariables(raw["variables"] as JsonArray)
            .Concat(ReadVariables(rootJson["variables"] as JsonArray))
            .ToList();
        return new ReadResult(new WorkflowDefinition(raw, root, variables), []);
    }

    /// <summary>Reads and throws when the JSON cannot be read at all (validation problems are not checked).</summary>
    public static WorkflowDefinition Parse(string json)
    {
        var result = Read(json);
        return result.Definition ?? throw new InvalidDefinitionException(result.Problems);
    }

    private static ActivityNode BuildNode(JsonObject raw, ActivityNode? parent, string? property)
    {
        var node = new ActivityNode(raw, parent, property);
        foreach (var (name, value) in raw)
        {
            if (NonChildProperties.Contains(name) || value is null) continue;
            CollectChildren(node, name, value, depth: 0);
        }
        if (raw["connections"] is JsonArray connections)
            node.Connections = ReadConnections(connections);
        return node;
    }

    private static void CollectChildren(ActivityNode parent, string property, JsonNode value, int depth)
    {
        if (depth > 4) return;
        switch (value)
        {
            case JsonObject obj when IsActivity(obj):
                parent.AddChild(BuildNode(obj, parent, property));
                break;
            case JsonObject obj when obj.ContainsKey("expression"):
                break; // an input, never holds activities
            case JsonObject obj:
                foreach (var (_, v) in obj)
                    if (v is not null) CollectChildren(parent, property, v, depth + 1);
                break;
            case JsonArray array:
                foreach (var item in array)
                    if (item is not null) CollectChildren(parent, property, item, depth + 1);
                break;
        }
    }

    // An activity is an object with a dotted type name ("Elsa.WriteLine"). The id is not required here,
    // so that an activity whose id is missing is reported by validation instead of silently dropped.
    internal static bool IsActivity(JsonObject obj) =>
        obj["type"] is JsonValue t && t.TryGetValue<string>(out var type) && type.Contains('.');

    private static List<Connection> ReadConnections(JsonArray array)
    {
        var list = new List<Connection>();
        foreach (var item in array.OfType<JsonObject>())
        {
            var (source, sourcePort) = End(item["source"], item["sourcePort"]);
            var (target, targetPort) = End(item["target"], item["targetPort"]);
            list.Add(new Connection(source, sourcePort ?? "Done", target, targetPort ?? "In"));
        }
        return list;
    }

    // Elsa 3 writes {"activity": id, "port": p}; older exports write a plain id with a sibling "sourcePort".
    private static (string Id, string? Port) End(JsonNode? end, JsonNode? legacyPort) => end switch
    {
        JsonObject o => (o["activity"]?.ToString() ?? "", o["port"]?.ToString()),
        JsonValue v => (v.ToString(), legacyPort?.ToString()),
        _ => ("", legacyPort?.ToString()),
    };

    private static IEnumerable<VariableDefinition> ReadVariables(JsonArray? array)
    {
        if (array is null) yield break;
        foreach (var v in array.OfType<JsonObject>())
        {
            var name = v["name"]?.ToString();
            if (string.IsNullOrEmpty(name)) continue;
            var typeName = v["typeName"]?.ToString() ?? "Object";
            var value = v["value"]?.DeepClone();
            yield return new VariableDefinition(v["id"]?.ToString() ?? name, name, typeName,
                Expressions.ValueConverter.Coerce(value, typeName));
        }
    }

    private static string FirstSentence(string message)
    {
        var i = message.IndexOf(" Path:", StringComparison.Ordinal);
        return i > 0 ? message[..i] : message;
    }
}

public sealed record ReadResult(WorkflowDefinition? Definition, IReadOnlyList<ValidationProblem> Problems)
{
    public static ReadResult Fail(ValidationProblem problem) => new(null, [problem]);
}

public sealed class InvalidDefinitionException(IReadOnlyList<ValidationProblem> problems)
    : Exception(string.Join(Environment.NewLine, problems.Select(p => p.ToString())))
{
    public IReadOnlyList<ValidationProblem> Problems { get; } = problems;
}
