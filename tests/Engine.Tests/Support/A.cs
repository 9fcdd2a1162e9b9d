using System.Text.Json.Nodes;

namespace Workflows.Engine.Tests.Support;

/// <summary>Activity JSON for the core types; <see cref="Node"/> builds anything else.</summary>
internal static class A
{
    public static JsonObject Node(string id, string type, params (string Name, JsonNode? Value)[] properties)
    {
        var node = new JsonObject { ["id"] = id, ["type"] = type, ["version"] = 1 };
        foreach (var (name, value) in properties) node[name] = value;
        return node;
    }

    public static JsonObject Start(string id = "start") => Node(id, "Elsa.Start");
    public static JsonObject End(string id = "end") => Node(id, "Elsa.End");
    public static JsonObject Finish(string id = "finish") => Node(id, "Elsa.Finish");
    public static JsonObject Complete(string id, string outcome) => Node(id, "Elsa.Complete", ("outcomes", In.Literal(outcome)));
    public static JsonObject WriteLine(string id, string text) => Node(id, "Elsa.WriteLine", ("text", In.Literal(text)));
    public static JsonObject WriteLineJs(string id, string code) => Node(id, "Elsa.WriteLine", ("text", In.Js(code, "String")));

    public static JsonObject SetVariable(string id, string variable, JsonObject value) =>
        Node(id, "Elsa.SetVariable", ("variable", new JsonObject { ["id"] = Flow.VariableId(variable), ["name"] = variable }), ("value", value));

    public static JsonObject SetOutput(string id, string name, JsonObject value) =>
        Node(id, "Elsa.SetOutput", ("outputName", In.Literal(name)), ("outputValue", value));

    public static JsonObject Decision(string id, string jsCondition) => Node(id, "Elsa.FlowDecision", ("condition", In.Js(jsCondition, "Boolean")));

    public static JsonObject Event(string id, string eventName, string? resultVariable = null)
    {
        var node = Node(id, "Elsa.Event", ("eventName", In.Literal(eventName)));
        if (resultVariable is not null) node["result"] = In.Output(resultVariable);
        return node;
    }

    public static JsonObject Delay(string id, string timeSpan) => Node(id, "Elsa.Delay", ("timeSpan", In.Literal(timeSpan, "TimeSpan")));

    public static JsonObject FlowFork(string id, params string[] branches) =>
        Node(id, "Elsa.FlowFork", ("branches", In.Object(new JsonArray([.. branches.Select(b => (JsonNode)b)]).ToJsonString(), "String[]")));

    public static JsonObject Join(string id, string? mode) =>
        mode is null ? Node(id, "Elsa.FlowJoin") : Node(id, "Elsa.FlowJoin", ("mode", In.Literal(mode, "FlowJoinMode")));

    /// <summary>A case of FlowSwitch / Switch: Elsa writes the condition as a bare expression.</summary>
    public static JsonObject Case(string label, string jsCondition, JsonObject? activity = null)
    {
        var c = new JsonObject { ["label"] = label, ["condition"] = new JsonObject { ["type"] = "JavaScript", ["value"] = jsCondition } };
        if (activity is not null) c["activity"] = activity;
        return c;
    }
}
