using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Activities.Approvals;
using Workflows.Engine.Definitions;

namespace Workflows.Activities.Tests.Approvals.Support;

/// <summary>Builds Elsa 3 definitions with approval steps, as JSON.</summary>
internal static class Def
{
    /// <summary>An Elsa input with a Literal expression.</summary>
    public static JsonObject Literal(JsonNode? value, string typeName = "String") => Input("Literal", value, typeName);

    /// <summary>An Elsa input with an Object expression (JSON text, as the designer writes it).</summary>
    public static JsonObject Object(JsonNode value) => Input("Object", value.ToJsonString(), "Object");

    public static JsonObject Input(string type, JsonNode? value, string typeName) => new()
    {
        ["typeName"] = typeName,
        ["expression"] = new JsonObject { ["type"] = type, ["value"] = value },
    };

    public static JsonNode Json(string json) => JsonNode.Parse(json)!;

    public static JsonObject Users(params string[] users) =>
        new() { ["type"] = "users", ["users"] = new JsonArray([.. users.Select(u => (JsonNode)u)]) };

    /// <summary>A Workflows.Approval step; <paramref name="assignees"/> is a JSON array of rules.</summary>
    public static JsonObject Step(string id, string assignees, params (string Name, JsonNode? Value)[] inputs)
    {
        var node = new JsonObject
        {
            ["id"] = id,
            ["type"] = Workflows.Activities.Approvals.Approval.Type,
            ["version"] = 1,
            ["stepName"] = Literal(id + " step"),
            ["assignees"] = Object(Json(assignees)),
        };
        foreach (var (name, value) in inputs) node[name] = value;
        return node;
    }

    public static (string, JsonNode?) Mode(string mode) => ("mode", Literal(mode));

    public static JsonObject Node(string id, string type, params (string Name, JsonNode? Value)[] inputs)
    {
        var node = new JsonObject { ["id"] = id, ["type"] = type, ["version"] = 1 };
        foreach (var (name, value) in inputs) node[name] = value;
        return node;
    }

    public static JsonObject WriteLine(string id, string text) => Node(id, "Elsa.WriteLine", ("text", Literal(text)));

    /// <summary>
    /// Start → steps in order (each Approved leads to the next) → a WriteLine "&lt;last&gt;:Approved"; every step's
    /// Rejected and Returned lead to WriteLines "&lt;step&gt;:Rejected" / "&lt;step&gt;:Returned". Other activities
    /// (e.g. Elsa.SetVariable) are chained by Done.
    /// </summary>
    public static WorkflowDefinition Chain(params JsonObject[] steps)
    {
        var activities = new JsonArray { Node("start", "Elsa.Start") };
        var connections = new JsonArray();
        var previous = ("start", "Done");
        foreach (var step in steps)
        {
            var id = step["id"]!.ToString();
            activities.Add(step);
            connections.Add(Connection(previous.Item1, previous.Item2, id));
            if (step["type"]!.ToString() != Workflows.Activities.Approvals.Approval.Type)
            {
                previous = (id, "Done");
                continue;
            }
            foreach (var port in new[] { Workflows.Activities.Approvals.Approval.Rejected, Workflows.Activities.Approvals.Approval.Returned })
            {
                activities.Add(WriteLine($"{id}-{port}", $"{id}:{port}"));
                connections.Add(Connection(id, port, $"{id}-{port}"));
            }
            previous = (id, Workflows.Activities.Approvals.Approval.Approved);
        }
        activities.Add(WriteLine("approved", $"{previous.Item1}:Approved"));
        connections.Add(Connection(previous.Item1, previous.Item2, "approved"));
        return Flow(activities, connections);
    }

    /// <summary>Start → the activities in order, connected by Done.</summary>
    public static WorkflowDefinition Sequence(params JsonObject[] activities)
    {
        var all = new JsonArray { Node("start", "Elsa.Start") };
        var connections = new JsonArray();
        var previous = "start";
        foreach (var a in activities)
        {
            all.Add(a);
            connections.Add(Connection(previous, "Done", a["id"]!.ToString()));
            previous = a["id"]!.ToString();
        }
        return Flow(all, connections);
    }

    public static WorkflowDefinition Flow(JsonArray activities, JsonArray connections, JsonArray? variables = null)
    {
        var doc = new JsonObject
        {
            ["id"] = "approval-test-v1",
            ["definitionId"] = "approval-test",
            ["name"] = "Approval test",
            ["version"] = 1,
            ["variables"] = variables ?? [],
            ["root"] = new JsonObject { ["id"] = "flow", ["type"] = "Elsa.Flowchart", ["activities"] = activities, ["connections"] = connections },
        };
        return DefinitionReader.Parse(doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    public static JsonObject Connection(string from, string port, string to) => new()
    {
        ["source"] = new JsonObject { ["activity"] = from, ["port"] = port },
        ["target"] = new JsonObject { ["activity"] = to, ["port"] = "In" },
    };
}
