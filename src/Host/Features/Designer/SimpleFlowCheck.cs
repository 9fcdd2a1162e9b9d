using System.Text.RegularExpressions;
using Workflows.Host.Components.Web;

namespace Workflows.Host.Features.Designer;

/// <summary>
/// Checks a simple-mode flow before it is compiled, so each problem can be shown beside its field (in the reader's
/// language). <see cref="Problem.Target"/> is "definition", "start", "field:{index}", a node id or a branch id.
/// </summary>
public static partial class SimpleFlowCheck
{
    public sealed record Problem(string Target, string Field, string Message);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
    private static partial Regex FieldName();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,63}$")]
    private static partial Regex DefinitionIdPattern();

    public static bool IsDefinitionId(string? id) => id is not null && DefinitionIdPattern().IsMatch(id);

    public static List<Problem> Check(SimpleFlow flow, string? definitionId, string? name, Loc l)
    {
        var problems = new List<Problem>();
        void Add(string target, string field, string key, params object?[] args) => problems.Add(new(target, field, l[key, args]));

        if (!IsDefinitionId(definitionId)) Add("definition", "id", "designer.err.id");
        if (string.IsNullOrWhiteSpace(name)) Add("definition", "name", "designer.err.name");
        else if (name.Length > 200) Add("definition", "name", "designer.err.tooLong", 200);

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < flow.Start.Fields.Count; i++)
        {
            var f = flow.Start.Fields[i];
            if (!FieldName().IsMatch(f.Name ?? "")) Add($"field:{i}", "name", "designer.err.fieldName");
            else if (!names.Add(f.Name!) || f.Name == "assignees") Add($"field:{i}", "name", "designer.err.fieldDuplicate", f.Name);
            if (string.IsNullOrWhiteSpace(f.Label)) Add($"field:{i}", "label", "designer.err.fieldLabel");
            if (f.Type == "select" && f.Options.Count(o => !string.IsNullOrWhiteSpace(o)) == 0) Add($"field:{i}", "options", "designer.err.options");
        }

        foreach (var node in flow.AllNodes())
        {
            if (string.IsNullOrWhiteSpace(node.Name)) Add(node.Id, "name", "designer.err.nodeName");
            else if (node.Name.Length > 100) Add(node.Id, "name", "designer.err.tooLong", 100);
            switch (node.Kind)
            {
                case NodeKinds.Approval or NodeKinds.SignOff:
                    Rule(node.Id, "assignees", node.Assignees);
                    if (node.Kind == NodeKinds.Approval && node.Mode == "Vote" && node.Threshold is not (> 0 and <= 1))
                        Add(node.Id, "threshold", "designer.err.threshold");
                    Days(node.Id, "due", node.DueInWorkingDays);
                    Days(node.Id, "remindBefore", node.RemindBeforeDue);
                    Days(node.Id, "remindEvery", node.RemindEvery);
                    if (node.TimeoutAction == "Escalate")
                    {
                        if (node.EscalateTo is null) Add(node.Id, "escalateTo", "designer.err.escalate");
                        else Rule(node.Id, "escalateTo", node.EscalateTo);
                    }
                    break;
                case NodeKinds.Cc:
                    Rule(node.Id, "to", node.To);
                    break;
                case NodeKinds.Publicity:
                    Rule(node.Id, "to", node.To);
                    Rule(node.Id, "assignees", node.Assignees);
                    if (node.WorkingDays is not (>= 1 and <= 60)) Add(node.Id, "workingDays", "designer.err.workingDays");
                    if (flow.Start.Fields.All(f => f.Name != node.NomineesField || f.Type != "user")) Add(node.Id, "nominees", "designer.err.nominees");
                    break;
                case NodeKinds.Delay:
                    if (node.DelayDays is < 0 or > 365 || node.DelayHours is < 0 or > 23) Add(node.Id, "delay", "designer.err.delayRange");
                    else if ((node.DelayDays ?? 0) + (node.DelayHours ?? 0) == 0) Add(node.Id, "delay", "designer.err.delay");
                    break;
                case NodeKinds.Condition:
                    if (node.Branches.Count(b => !b.IsDefault) == 0) Add(node.Id, "branches", "designer.err.noCondition");
                    foreach (var b in node.Branches.Where(b => !b.IsDefault))
                    {
                        var c = b.Condition ?? new ConditionSpec();
                        if (string.IsNullOrWhiteSpace(b.Name)) Add(b.Id, "name", "designer.err.branchName");
                        if (c.Op == "js")
                        {
                            if (string.IsNullOrWhiteSpace(c.Expression)) Add(b.Id, "expression", "designer.err.expression");
                        }
                        else
                        {
                            if (string.IsNullOrWhiteSpace(c.Field) || flow.Start.Fields.All(f => f.Name != c.Field)) Add(b.Id, "field", "designer.err.conditionField");
                            if (c.NeedsValue && string.IsNullOrWhiteSpace(c.Value)) Add(b.Id, "value", "designer.err.conditionValue");
                            else if (c.Op is "gt" or "gte" or "lt" or "lte" && !double.TryParse(c.Value, System.Globalization.NumberStyles.Float,
                                         System.Globalization.CultureInfo.InvariantCulture, out _))
                                Add(b.Id, "value", "designer.err.conditionNumber");
                        }
                    }
                    break;
                case NodeKinds.Parallel:
                    if (node.Branches.Count < 2) Add(node.Id, "branches", "designer.err.parallel");
                    foreach (var b in node.Branches.Where(b => string.IsNullOrWhiteSpace(b.Name))) Add(b.Id, "name", "designer.err.branchName");
                    break;
            }
        }
        return problems;

        void Days(string target, string field, int? days)
        {
            if (days is < 0 or > 365) Add(target, field, "designer.err.days");
        }

        void Rule(string target, string field, RuleSpec rule)
        {
            switch (rule.Type)
            {
                case "users" when rule.Users.Count == 0: Add(target, field, "designer.err.users"); break;
                case "role" when string.IsNullOrWhiteSpace(rule.Role): Add(target, field, "designer.err.role"); break;
                case "field" when flow.Start.Fields.All(f => f.Name != rule.Field || f.Type != "user"): Add(target, field, "designer.err.ruleField"); break;
            }
        }
    }
}
