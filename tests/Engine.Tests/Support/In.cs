using System.Text.Json.Nodes;

namespace Workflows.Engine.Tests.Support;

/// <summary>Elsa 3 inputs: {"typeName": .., "expression": {"type": .., "value": ..}}.</summary>
internal static class In
{
    public static JsonObject Literal(JsonNode? value, string typeName = "String") => Wrap("Literal", value, typeName);
    public static JsonObject Js(string code, string typeName = "Object") => Wrap("JavaScript", code, typeName);
    public static JsonObject Liquid(string template) => Wrap("Liquid", template, "String");
    public static JsonObject Object(string json, string typeName = "Object") => Wrap("Object", json, typeName);
    public static JsonObject Variable(string name, string typeName = "Object") =>
        Wrap("Variable", new JsonObject { ["id"] = Flow.VariableId(name), ["name"] = name }, typeName);
    public static JsonObject Expression(string type, JsonNode? value, string typeName = "Object") => Wrap(type, value, typeName);

    /// <summary>An output bound to a workflow variable (Elsa's memoryReference).</summary>
    public static JsonObject Output(string variableName) => new()
    {
        ["typeName"] = "Object",
        ["memoryReference"] = new JsonObject { ["id"] = Flow.VariableId(variableName) },
    };

    private static JsonObject Wrap(string type, JsonNode? value, string typeName) => new()
    {
        ["typeName"] = typeName,
        ["expression"] = new JsonObject { ["type"] = type, ["value"] = value },
    };
}
