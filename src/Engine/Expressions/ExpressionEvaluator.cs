using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Engine.Execution;

namespace Workflows.Engine.Expressions;

/// <summary>
/// Evaluates Elsa inputs: {"typeName": ..., "expression": {"type": Literal|Variable|Object|JavaScript|Liquid, "value": ...}}.
/// One evaluator per run; the JavaScript engine is created on first use.
/// </summary>
internal sealed class ExpressionEvaluator(WorkflowRun run, ScriptLimits limits)
{
    public static readonly string[] SupportedTypes = ["Literal", "Variable", "Object", "Json", "JavaScript", "Liquid"];

    private JavaScriptEvaluator? _js;

    public JsonNode? EvaluateInput(JsonNode? input, ActivityExecutionContext context)
    {
        if (input is not JsonObject obj || !obj.ContainsKey("expression"))
            return input?.DeepClone(); // a plain value written without the expression wrapper
        var typeName = obj["typeName"]?.ToString();
        if (obj["expression"] is not JsonObject expression) return null;
        var value = Evaluate(expression["type"]?.ToString() ?? "Literal", expression["value"], context);
        return ValueConverter.Coerce(value, typeName);
    }

    /// <summary>
    /// Evaluates a switch case's condition: Elsa writes it as a bare expression {"type", "value"}
    /// rather than an input wrapper; both shapes are accepted.
    /// </summary>
    public JsonNode? EvaluateCondition(JsonNode? condition, ActivityExecutionContext context) =>
        condition is JsonObject o && !o.ContainsKey("expression") && o["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String
            ? Evaluate(t.GetValue<string>(), o["value"], context)
            : EvaluateInput(condition, context);

    public JsonNode? Evaluate(string type, JsonNode? value, ActivityExecutionContext context) => type switch
    {
        "Literal" => value?.DeepClone(),
        "Variable" => run.GetVariable(VariableName(value)),
        "Object" or "Json" => ParseObject(value),
        "JavaScript" => Js.Evaluate(ValueConverter.AsString(value) ?? "", context),
        "Liquid" => JsonValue.Create(LiquidEvaluator.Render(ValueConverter.AsString(value) ?? "", context)),
        _ => throw new ActivityFaultException($"Expression type '{type}' is not supported (supported: {string.Join(", ", SupportedTypes)})."),
    };

    private JavaScriptEvaluator Js => _js ??= new JavaScriptEvaluator(run, limits);

    private static string VariableName(JsonNode? value) => value switch
    {
        JsonObject o => o["name"]?.ToString() ?? o["id"]?.ToString() ?? "",
        _ => ValueConverter.AsString(value) ?? "",
    };

    private static JsonNode? ParseObject(JsonNode? value)
    {
        if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String) return value?.DeepClone();
        var text = v.GetValue<string>();
        if (string.IsNullOrWhiteSpace(text)) return null;
        try { return JsonNode.Parse(text); }
        catch (JsonException ex) { throw new ActivityFaultException($"Object expression is not valid JSON: {ex.Message}"); }
    }
}
