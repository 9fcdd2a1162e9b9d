using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Engine.Definitions;
using Workflows.Engine.Expressions;

namespace Workflows.Engine.Validation;

/// <summary>Finds every expression of an activity (not of its children) and checks that it compiles.</summary>
internal static class ExpressionChecks
{
    public static IEnumerable<ValidationProblem> Check(ActivityNode node)
    {
        foreach (var (name, value) in node.Raw)
        {
            if (name is "metadata" or "customProperties" || value is null) continue;
            foreach (var problem in Walk(node, name, value, 0)) yield return problem;
        }
    }

    private static IEnumerable<ValidationProblem> Walk(ActivityNode node, string input, JsonNode value, int depth)
    {
        if (depth > 5) yield break;
        switch (value)
        {
            case JsonObject o when DefinitionReader.IsActivity(o):
                yield break; // a child activity checks its own expressions
            case JsonObject o when o["expression"] is JsonObject expression:
                if (CheckExpression(node, input, expression) is { } problem) yield return problem;
                break;
            case JsonObject o when input == "cases" && o["type"] is JsonValue && o.ContainsKey("value"):
                // A switch case's condition is a bare expression {"type", "value"}.
                if (CheckExpression(node, input, o) is { } caseProblem) yield return caseProblem;
                break;
            case JsonObject o:
                foreach (var (_, v) in o)
                    if (v is not null) foreach (var p in Walk(node, input, v, depth + 1)) yield return p;
                break;
            case JsonArray a:
                foreach (var v in a)
                    if (v is not null) foreach (var p in Walk(node, input, v, depth + 1)) yield return p;
                break;
        }
    }

    private static ValidationProblem? CheckExpression(ActivityNode node, string input, JsonObject expression)
    {
        var type = expression["type"]?.ToString() ?? "Literal";
        var text = ValueConverter.AsString(expression["value"]) ?? "";
        switch (type)
        {
            case "Literal" or "Variable":
                return null;
            case "Object" or "Json":
                if (expression["value"] is not JsonValue v || v.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(text)) return null;
                try { JsonNode.Parse(text); return null; }
                catch (JsonException ex)
                {
                    return ValidationProblem.Error(node.Id, $"The Object expression of '{input}' is not valid JSON: {ex.Message}",
                        $"“{input}”的 Object 表达式不是有效的 JSON：{ex.Message}");
                }
            case "JavaScript":
                try { JavaScriptEvaluator.Prepare(text); return null; }
                catch (Exception ex) when (ex is Acornima.ParseErrorException or Jint.Runtime.JavaScriptException or Jint.ScriptPreparationException)
                {
                    // PrepareScript wraps the parser's error in a ScriptPreparationException.
                    var reason = ex is Jint.ScriptPreparationException { InnerException: { } inner } ? inner.Message : ex.Message;
                    return ValidationProblem.Error(node.Id, $"The JavaScript of '{input}' does not compile: {reason}",
                        $"“{input}”的 JavaScript 表达式无法编译：{reason}");
                }
            case "Liquid":
                return LiquidEvaluator.TryParse(text, out var error) ? null
                    : ValidationProblem.Error(node.Id, $"The Liquid template of '{input}' does not compile: {error}",
                        $"“{input}”的 Liquid 模板无法编译：{error}");
            default:
                var supported = string.Join(", ", ExpressionEvaluator.SupportedTypes);
                return ValidationProblem.Error(node.Id,
                    $"The expression type '{type}' of '{input}' is not supported (supported: {supported}).",
                    $"“{input}”的表达式类型“{type}”不受支持（支持的类型：{supported}）。");
        }
    }
}
