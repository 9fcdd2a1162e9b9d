using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Engine.Definitions;

namespace Workflows.Engine.Tests.Support;

/// <summary>
/// Builds an Elsa 3 flowchart as JSON (activities, connections in the {"source":{"activity","port"}} shape,
/// variables, merge modes), so a test reads as the graph it runs.
/// </summary>
internal sealed class Flow
{
    private readonly JsonArray _activities = [];
    private readonly JsonArray _connections = [];
    private readonly JsonArray _variables = [];
    private readonly string _id;

    public Flow(string id = "flow1") => _id = id;

    public Flow Add(params JsonObject[] activities)
    {
        foreach (var a in activities) _activities.Add(a);
        return this;
    }

    /// <summary>Connects <paramref name="from"/>'s outcome <paramref name="port"/> to <paramref name="to"/>.</summary>
    public Flow Connect(string from, string to, string port = "Done")
    {
        _connections.Add(new JsonObject
        {
            ["source"] = new JsonObject { ["activity"] = from, ["port"] = port },
            ["target"] = new JsonObject { ["activity"] = to, ["port"] = "In" },
        });
        return this;
    }

    /// <summary>Connects each activity's Done outcome to the next one.</summary>
    public Flow Chain(params string[] ids)
    {
        for (var i = 0; i + 1 < ids.Length; i++) Connect(ids[i], ids[i + 1]);
        return this;
    }

    public Flow Variable(string name, string typeName = "Object", JsonNode? value = null)
    {
        _variables.Add(new JsonObject { ["id"] = VariableId(name), ["name"] = name, ["typeName"] = typeName, ["value"] = value });
        return this;
    }

    /// <summary>Sets Elsa's customProperties.mergeMode on an activity already added.</summary>
    public Flow MergeMode(string activityId, string mode)
    {
        var activity = _activities.OfType<JsonObject>().Single(a => (string?)a["id"] == activityId);
        ((JsonObject)(activity["customProperties"] ??= new JsonObject()))["mergeMode"] = mode;
        return this;
    }

    /// <summary>This flowchart as an activity, to nest in another flowchart or a FlowNode.</summary>
    public JsonObject AsActivity() => new()
    {
        ["id"] = _id,
        ["type"] = "Elsa.Flowchart",
        ["activities"] = _activities.DeepClone(),
        ["connections"] = _connections.DeepClone(),
    };

    public JsonObject Document(string definitionId = "test-flow")
    {
        var doc = new JsonObject
        {
            ["id"] = definitionId + "-v1",
            ["definitionId"] = definitionId,
            ["name"] = "Test flow",
            ["version"] = 1,
            ["variables"] = _variables.DeepClone(),
            ["root"] = AsActivity(),
        };
        return doc;
    }

    public string Json(string definitionId = "test-flow") =>
        Document(definitionId).ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    public WorkflowDefinition Definition() => DefinitionReader.Parse(Json());

    public static string VariableId(string name) => "var-" + name;
}
