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
            problems.Add(ValidationProblem.Warning(node.Id, "The approval step has no 'assignees'; it will follow 'whenNobody'.",
                "审批环节未设置审批人（assignees），将按“无人审批时”（whenNobody）的设置处理。"));
        Rules(node, "assignees", problems);
        Rules(node, "cc", problems);
        var escalate = Rules(node, "escalateTo", problems);
        if (string.Equals(timeout, TimeoutActions.Escalate, StringComparison.OrdinalIgnoreCase) && node.Raw["escalateTo"] is null)
            problems.Add(ValidationProblem.Error(node.Id, "'timeoutAction' Escalate needs 'escalateTo'.",
                "超时后（timeoutAction）选择了转交上级（Escalate），但没有设置转交给谁（escalateTo）。"));
        else if (escalate is { Count: 0 } && string.Equals(timeout, TimeoutActions.Escalate, StringComparison.OrdinalIgnoreCase))
            problems.Add(ValidationProblem.Error(node.Id, "'escalateTo' names no rule.", "转交给（escalateTo）中没有任何人员规则。"));

        if (Literal(node, "threshold", out var threshold) && ValueConverter.AsDouble(threshold) is { } t && t is <= 0 or > 1)
            problems.Add(ValidationProblem.Error(node.Id, $"'threshold' must be above 0 and at most 1 (e.g. 0.667), not {t}.",
                $"通过比例（threshold）须大于 0 且不超过 1（如 0.667），现在是 {t}。"));

        if (Literal(node, "form", out var form) && form is not null)
        {
            if (form is not JsonObject formObject || formObject["fields"] is not JsonArray fields)
                problems.Add(ValidationProblem.Error(node.Id, "'form' must be {\"fields\": [...]}.", "表单（form）须为 {\"fields\": [...]} 的形式。"));
            else
                foreach (var field in fields)
                {
                    var name = ValueConverter.AsString(field?["name"]);
                    var type = (ValueConverter.AsString(field?["type"]) ?? ApprovalForm.Text).ToLowerInvariant();
                    if (string.IsNullOrWhiteSpace(name))
                        problems.Add(ValidationProblem.Error(node.Id, "A form field has no 'name'.", "有一个表单字段没有字段标识（name）。"));
                    else if (!ApprovalForm.FieldTypes.Contains(type))
                    {
                        var known = string.Join(", ", ApprovalForm.FieldTypes);
                        problems.Add(ValidationProblem.Error(node.Id, $"Form field '{name}' has unknown type '{type}' (known: {known}).",
                            $"表单字段“{name}”的类型“{type}”未知（可用：{known}）。"));
                    }
                    else if (type == ApprovalForm.Select && field?["options"] is not JsonArray { Count: > 0 })
                        problems.Add(ValidationProblem.Error(node.Id, $"Form field '{name}' is a select without 'options'.",
                            $"表单字段“{name}”是下拉选择，但没有选项（options）。"));
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
            problems.Add(ValidationProblem.Error(node.Id, $"'{input}': {ex.Message}",
                $"{Zh(input)}：{(ex is AssigneeRuleFormatException rule ? rule.MessageZh : ex.Message)}"));
            return null;
        }
    }

    private static string? Choice(ActivityNode node, string input, string[] known, List<ValidationProblem> problems)
    {
        if (!Literal(node, input, out var value) || ValueConverter.AsString(value) is not { Length: > 0 } text) return null;
        if (!known.Contains(text.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            var choices = string.Join(", ", known);
            problems.Add(ValidationProblem.Error(node.Id, $"'{input}' must be one of {choices}, not '{text}'.",
                $"{Zh(input)}须为 {choices} 之一，现在是“{text}”。"));
        }
        return text.Trim();
    }

    /// <summary>An input as the Chinese messages name it: the designer's label with the input's name, e.g. 审批人（assignees）.</summary>
    private static string Zh(string input) => input switch
    {
        "assignees" => "审批人（assignees）",
        "cc" => "抄送人（cc）",
        "escalateTo" => "转交给（escalateTo）",
        "to" => "接收人（to）",
        "investigators" => "异议核查人员（investigators）",
        "mode" => "多人审批方式（mode）",
        "whenNobody" => "无人审批时（whenNobody）",
        "whenInitiator" => "审批人是发起人时（whenInitiator）",
        "timeoutAction" => "超时后（timeoutAction）",
        _ => $"“{input}”",
    };

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
