using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Activities.People;
using Workflows.Engine.Definitions;
using Workflows.Engine.Expressions;
using Workflows.Engine.Validation;

namespace Workflows.Activities.Approvals;

/// <summary>
/// Design-time checks of human-task activities. Only values written as Literal or Object expressions (or plain
/// values) can be checked before a run; script and variable expressions are checked when the step runs.
/// </summary>
internal static class ApprovalDefinitionChecks
{
    public static IEnumerable<ValidationProblem> Check(ActivityNode node)
    {
        var problems = new List<ValidationProblem>();
        Choice(node, "mode", ApprovalModes.Known, problems);
        Choice(node, "whenNobody", WhenNobody.Known, problems);
        Choice(node, "whenInitiator", WhenInitiator.Known, problems);
        var timeout = Choice(node, "timeoutAction", TimeoutActions.Known, problems);

        if (node.Raw["assignees"] is null)
            problems.Add(ValidationProblem.Warning(node.Id, "The approval step has no 'assignees'; it will follow 'whenNobody'."));
        Rules(node, "assignees", problems);
        Rules(node, "cc", problems);
        var escalate = Rules(node, "escalateTo", problems);
        if (string.Equals(timeout, TimeoutActions.Escalate, StringComparison.OrdinalIgnoreCase) && node.Raw["escalateTo"] is null)
            problems.Add(ValidationProblem.Error(node.Id, "'timeoutAction' Escalate needs 'escalateTo'."));
        else if (escalate is { Count: 0 } && string.Equals(timeout, TimeoutActions.Escalate, StringComparison.OrdinalIgnoreCase))
            problems.Add(ValidationProblem.Error(node.Id, "'escalateTo' names no rule."));

        if (Literal(node, "threshold", out var threshold) && ValueConverter.AsDouble(threshold) is { } t && t is <= 0 or > 1)
            problems.Add(ValidationProblem.Error(node.Id, $"'threshold' must be above 0 and at most 1 (e.g. 0.667), not {t}."));

        if (Literal(node, "form", out var form) && form is not null)
        {
            if (form is not JsonObject formObject || formObject["fields"] is not JsonArray fields)
                problems.Add(ValidationProblem.Error(node.Id, "'form' must be {\"fields\": [...]}."));
            else
                foreach (var field in fields)
                {
                    var name = ValueConverter.AsString(field?["name"]);
                    var type = (ValueConverter.AsString(field?["type"]) ?? ApprovalForm.Text).ToLowerInvariant();
                    if (string.IsNullOrWhiteSpace(name))
                        problems.Add(ValidationProblem.Error(node.Id, "A form field has no 'name'."));
                    else if (!ApprovalForm.FieldTypes.Contains(type))
                        problems.Add(ValidationProblem.Error(node.Id, $"Form field '{name}' has unknown type '{type}' (known: {string.Join(", ", ApprovalForm.FieldTypes)})."));
                    else if (type == ApprovalForm.Select && field?["options"] is not JsonArray { Count: > 0 })
                        problems.Add(ValidationProblem.Error(node.Id, $"Form field '{name}' is a select without 'options'."));
                }
        }
        return problems;
    }

    /// <summary>Checks the rules of a rule input; returns them when they could be read before the run.</summary>
    public static IReadOnlyList<AssigneeRule>? Rules(ActivityNode node, string input, List<ValidationProblem> problems)
    {
        if (!Literal(node, input, out var value)) return null;
        try { return AssigneeRule.ParseList(value); }
        catch (FormatException ex)
        {
            problems.Add(ValidationProblem.Error(node.Id, $"'{input}': {ex.Message}"));
            return null;
        }
    }

    private static string? Choice(ActivityNode node, string input, string[] known, List<ValidationProblem> problems)
    {
        if (!Literal(node, input, out var value) || ValueConverter.AsString(value) is not { Length: > 0 } text) return null;
        if (!known.Contains(text.Trim(), StringComparer.OrdinalIgnoreCase))
            problems.Add(ValidationProblem.Error(node.Id, $"'{input}' must be one of {string.Join(", ", known)}, not '{text}'."));
        return text.Trim();
    }

    /// <summary>The value of an input when it is known before the run (a Literal or Object expression, or a plain value).</summary>
    private static bool Literal(ActivityNode node, string input, out JsonNode? value)
    {
        value = null;
        var raw = node.Raw[input];
        if (raw is null) return false;
        if (raw is not JsonObject o || !o.ContainsKey("expression"))
        {
            value = raw;
            return true;
        }
        var type = o["expression"]?["type"]?.ToString() ?? "Literal";
        if (type is not ("Literal" or "Object" or "Json")) return false;
        value = o["expression"]?["value"];
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String
            && (type != "Literal" || v.GetValue<string>().TrimStart() is ['{', ..] or ['[', ..]))
        {
            try { value = JsonNode.Parse(v.GetValue<string>()); }
            catch (JsonException) { return false; } // reported by the engine's expression checks
        }
        return true;
    }
}
