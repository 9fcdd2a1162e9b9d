using System.Text.Json.Nodes;

namespace Workflows.Engine.Definitions;

public sealed record VariableDefinition(string Id, string Name, string TypeName, JsonNode? DefaultValue);
