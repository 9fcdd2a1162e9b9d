using System.Text.Json.Nodes;
using Workflows.Engine.Expressions;

namespace Workflows.Engine.Execution;

internal sealed partial class WorkflowRun
{
    public JsonNode? GetVariable(string name) =>
        State.Variables.TryGetValue(name, out var v) ? v : null;

    public void SetVariable(string name, JsonNode? value)
    {
        var declared = Definition.Variables.FirstOrDefault(v => v.Name == name || v.Id == name);
        State.Variables[declared?.Name ?? name] = declared is null ? value?.DeepClone() : ValueConverter.Coerce(value?.DeepClone(), declared.TypeName);
    }

    public void SetOutput(ActivityExecutionContext context, string name, JsonNode? value)
    {
        var id = context.Node.Id;
        if (!State.ActivityOutputs.TryGetValue(id, out var outputs))
            State.ActivityOutputs[id] = outputs = new JsonObject();
        outputs[name] = value?.DeepClone();
        State.LastResult = value?.DeepClone();

        // Elsa binds an output to a variable with {"memoryReference": {"id": variableId}}.
        if (context.Node.Raw[name]?["memoryReference"]?["id"]?.ToString() is { } variableId)
        {
            var variable = Definition.Variables.FirstOrDefault(v => v.Id == variableId || v.Name == variableId);
            if (variable is not null) SetVariable(variable.Name, value);
        }
    }
}
