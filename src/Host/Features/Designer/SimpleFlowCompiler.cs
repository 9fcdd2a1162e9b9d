using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workflows.Host.Features.Designer;

/// <summary>
/// Compiles a <see cref="SimpleFlow"/> to an Elsa 3 flowchart definition:
/// 审批人 → Workflows.Approval; 抄送人 → Workflows.Cc; 条件分支 → Elsa.FlowDecision (one condition) or Elsa.FlowSwitch;
/// 并行分支 → Elsa.FlowFork + Elsa.FlowJoin (WaitAll); 公示 → Workflows.Cc to the audience, then Workflows.Publicity (named
/// objections investigated by the handlers); 签署 → Workflows.Approval where every party must sign;
/// 延时 → Elsa.Delay. A rejection (or a return to the initiator) anywhere ends the flow at "已结束（未通过）".
/// Positions are laid out top to bottom, branches side by side, so the canvas shows the same tree.
/// </summary>
public sealed class SimpleFlowCompiler
{
    private const int ColumnWidth = 260, RowHeight = 130;

    private readonly SimpleFlow _flow;
    private readonly JsonArray _activities = [];
    private readonly JsonArray _connections = [];
    private bool _rejectEndUsed;
    private int _maxY;

    private SimpleFlowCompiler(SimpleFlow flow) => _flow = flow;

    public const string StartId = "start", EndId = "end", RejectedId = "rejected";

    public static JsonObject Compile(SimpleFlow flow, string definitionId, string name, string? description)
    {
        var compiler = new SimpleFlowCompiler(flow);
        var width = Width(flow.Nodes);
        var center = width * ColumnWidth / 2.0;
        compiler.Add(new JsonObject { ["id"] = StartId, ["type"] = "Elsa.Start", ["name"] = flow.Start.Name }, center, 0);
        var exits = compiler.EmitList(flow.Nodes, [(StartId, "Done")], 0, RowHeight);
        var endY = compiler._maxY + RowHeight;
        compiler.Add(new JsonObject { ["id"] = EndId, ["type"] = "Elsa.End", ["name"] = "结束" }, center, endY);
        compiler.Connect(exits, EndId);
        if (compiler._rejectEndUsed)
            compiler.Add(new JsonObject { ["id"] = RejectedId, ["type"] = "Elsa.End", ["name"] = "已结束（未通过）" }, center + ColumnWidth, endY);

        var customProperties = new JsonObject { ["simpleDesigner"] = flow.ToJson() };
        if (flow.Start.InitiatorRoles.Count > 0)
            customProperties["initiatorRoles"] = new JsonArray([.. flow.Start.InitiatorRoles.Select(r => (JsonNode)r)]);
        if (flow.Start.Kpi is { Length: > 0 } kpi) customProperties["kpi"] = kpi;
        return new JsonObject
        {
            ["definitionId"] = definitionId,
            ["name"] = name,
            ["description"] = description,
            ["version"] = 1,
            ["inputs"] = new JsonArray([.. flow.Start.Fields.Select(InputOf)]),
            ["variables"] = new JsonArray(),
            ["customProperties"] = customProperties,
            ["root"] = new JsonObject
            {
                ["id"] = "flowchart",
                ["type"] = "Elsa.Flowchart",
                ["activities"] = compiler._activities,
                ["connections"] = compiler._connections,
            },
        };
    }

    // Layout: a list takes as many columns as its widest node; a branching node the sum of its branches.
    private static int Width(IEnumerable<SimpleNode> nodes) => nodes.Select(Width).DefaultIfEmpty(1).Max();

    private static int Width(SimpleNode node) =>
        node.Kind is NodeKinds.Condition or NodeKinds.Parallel ? Math.Max(1, node.Branches.Sum(b => Math.Max(1, Width(b.Nodes)))) : 1;

    /// <summary>Emits a list of nodes in the column starting at <paramref name="left"/>; returns the open exits of its last node.</summary>
    private List<(string From, string Port)> EmitList(List<SimpleNode> nodes, List<(string, string)> entries, int left, double y)
    {
        var width = Width(nodes);
        foreach (var node in nodes)
        {
            (entries, y) = Emit(node, entries, left, width, y);
        }
        return entries;
    }

    private (List<(string, string)> Exits, double NextY) Emit(SimpleNode node, List<(string, string)> entries, int left, int width, double y)
    {
        var center = (left + width / 2.0) * ColumnWidth;
        switch (node.Kind)
        {
            case NodeKinds.Cc:
                Add(Activity(node.Id, "Workflows.Cc", node.Name, ("stepName", Literal(node.Name)), ("to", Rules(node.To, node.Id))), center, y);
                Connect(entries, node.Id);
                return ([(node.Id, "Done")], y + RowHeight);

            case NodeKinds.Delay:
                var span = new TimeSpan(node.DelayDays ?? 0, node.DelayHours ?? 0, 0, 0);
                Add(Activity(node.Id, "Elsa.Delay", node.Name, ("timeSpan", Literal(span.ToString("c", CultureInfo.InvariantCulture), "TimeSpan"))), center, y);
                Connect(entries, node.Id);
                return ([(node.Id, "Done")], y + RowHeight);

            case NodeKinds.Publicity:
                // The audience is told first; then the notice is public for the window and takes named objections,
                // which the handlers investigate (Workflows.Publicity, docs/processes.md).
                var notice = node.Id + "-notice";
                Add(Activity(notice, "Workflows.Cc", $"{node.Name}（通知）", ("stepName", Literal(node.Name)), ("to", Rules(node.To, node.Id))), center, y);
                Connect(entries, notice);
                var field = Js(node.NomineesField ?? "");
                Add(Activity(node.Id, "Workflows.Publicity", node.Name,
                    ("title", Literal(node.Name)),
                    ("nominees", Script($"getVariable({field}) ?? getInput({field})", "Object")),
                    ("workingDays", Literal((node.WorkingDays ?? 5).ToString(CultureInfo.InvariantCulture), "Int32")),
                    ("investigators", Rules(node.Assignees, node.Id))), center, y + RowHeight);
                Connect([(notice, "Done")], node.Id);
                return ([(node.Id, "Done")], y + 2 * RowHeight);

            case NodeKinds.SignOff:
                Add(Approval(node, node.Name, "All", node.DueInWorkingDays, node.TimeoutAction, FormOf(node)), center, y);
                Connect(entries, node.Id);
                return (Decided(node.Id), y + RowHeight);

            case NodeKinds.Condition:
                return EmitCondition(node, entries, left, center, y);

            case NodeKinds.Parallel:
                return EmitParallel(node, entries, left, center, y);

            default:
                Add(Approval(node, node.Name, node.Mode, node.DueInWorkingDays, node.TimeoutAction, FormOf(node)), center, y);
                Connect(entries, node.Id);
                return (Decided(node.Id), y + RowHeight);
        }
    }

    /// <summary>Approved goes on; Rejected and Returned end the flow.</summary>
    private List<(string, string)> Decided(string id)
    {
        _connections.Add(Connection(id, "Rejected", RejectedId));
        _connections.Add(Connection(id, "Returned", RejectedId));
        _rejectEndUsed = true;
        return [(id, "Approved")];
    }

    private (List<(string, string)>, double) EmitCondition(SimpleNode node, List<(string, string)> entries, int left, double center, double y)
    {
        var conditions = node.Branches.Where(b => !b.IsDefault).ToList();
        var single = conditions.Count == 1;
        JsonObject activity;
        if (single)
        {
            activity = Activity(node.Id, "Elsa.FlowDecision", node.Name, ("condition", Script(ConditionScript(conditions[0].Condition), "Boolean")));
        }
        else
        {
            activity = Activity(node.Id, "Elsa.FlowSwitch", node.Name, ("mode", Literal("MatchFirst")));
            activity["cases"] = new JsonArray([.. conditions.Select(b => (JsonNode)new JsonObject
            {
                ["label"] = PortOf(node, b),
                ["condition"] = new JsonObject { ["type"] = "JavaScript", ["value"] = ConditionScript(b.Condition) },
            })]);
        }
        Add(activity, center, y);
        Connect(entries, node.Id);

        var exits = new List<(string, string)>();
        var column = left;
        var bottom = y + RowHeight;
        foreach (var branch in node.Branches)
        {
            var port = branch.IsDefault ? (single ? "False" : "Default") : single ? "True" : PortOf(node, branch);
            var branchWidth = Math.Max(1, Width(branch.Nodes));
            exits.AddRange(EmitList(branch.Nodes, [(node.Id, port)], column, y + RowHeight));
            bottom = Math.Max(bottom, y + RowHeight + branch.Nodes.Sum(Rows) * RowHeight);
            column += branchWidth;
        }
        return (exits, bottom);
    }

    private (List<(string, string)>, double) EmitParallel(SimpleNode node, List<(string, string)> entries, int left, double center, double y)
    {
        var fork = Activity(node.Id, "Elsa.FlowFork", node.Name,
            ("branches", Literal(string.Join(",", node.Branches.Select(b => PortOf(node, b))))));
        Add(fork, center, y);
        Connect(entries, node.Id);
        var joinId = node.Id + "-join";
        var exits = new List<(string, string)>();
        var column = left;
        var bottom = y + RowHeight;
        foreach (var branch in node.Branches)
        {
            var branchWidth = Math.Max(1, Width(branch.Nodes));
            exits.AddRange(EmitList(branch.Nodes, [(node.Id, PortOf(node, branch))], column, y + RowHeight));
            bottom = Math.Max(bottom, y + RowHeight + branch.Nodes.Sum(Rows) * RowHeight);
            column += branchWidth;
        }
        Add(Activity(joinId, "Elsa.FlowJoin", $"{node.Name}（汇合）", ("mode", Literal("WaitAll"))), center, bottom);
        Connect(exits, joinId);
        return ([(joinId, "Done")], bottom + RowHeight);
    }

    /// <summary>How many rows a node takes in the layout.</summary>
    private static int Rows(SimpleNode node) => node.Kind switch
    {
        NodeKinds.Publicity => 2,
        NodeKinds.Condition => 1 + node.Branches.Select(b => b.Nodes.Sum(Rows)).DefaultIfEmpty(0).Max(),
        NodeKinds.Parallel => 2 + node.Branches.Select(b => b.Nodes.Sum(Rows)).DefaultIfEmpty(0).Max(),
        _ => 1,
    };

    /// <summary>Port names are branch names, made unique within their node.</summary>
    private static string PortOf(SimpleNode node, Branch branch)
    {
        var name = string.IsNullOrWhiteSpace(branch.Name) ? branch.Id : branch.Name.Trim();
        var same = node.Branches.TakeWhile(b => b != branch).Count(b => (string.IsNullOrWhiteSpace(b.Name) ? b.Id : b.Name.Trim()) == name);
        return same == 0 ? name : $"{name} ({same + 1})";
    }

    private JsonObject Approval(SimpleNode node, string stepName, string mode, int? due, string timeout, JsonObject? form)
    {
        var inputs = new List<(string, JsonNode)>
        {
            ("stepName", Literal(stepName)),
            ("assignees", Rules(node.Assignees, node.Id)),
            ("mode", Literal(mode)),
        };
        if (mode == "Vote") inputs.Add(("threshold", Literal((node.Threshold ?? 0.5).ToString(CultureInfo.InvariantCulture), "Double")));
        if (due is > 0) inputs.Add(("dueInWorkingDays", Literal(due.Value.ToString(CultureInfo.InvariantCulture), "Int32")));
        if (node.RemindBeforeDue is > 0 || node.RemindEvery is > 0)
            inputs.Add(("reminders", ObjectInput(new JsonObject { ["beforeDueWorkingDays"] = node.RemindBeforeDue, ["everyWorkingDays"] = node.RemindEvery })));
        inputs.Add(("timeoutAction", Literal(timeout)));
        if (timeout == "Escalate" && node.EscalateTo is not null) inputs.Add(("escalateTo", Rules(node.EscalateTo, node.Id + "-escalate")));
        if (form is not null) inputs.Add(("form", ObjectInput(form)));
        return Activity(node.Id, "Workflows.Approval", stepName, [.. inputs]);
    }

    /// <summary>The step's form: every start field with this step's permission (编辑 / 只读 / 隐藏).</summary>
    private JsonObject? FormOf(SimpleNode node)
    {
        if (_flow.Start.Fields.Count == 0) return null;
        var fields = new JsonArray();
        foreach (var f in _flow.Start.Fields)
        {
            var access = node.FieldAccess.GetValueOrDefault(f.Name, "read");
            var field = new JsonObject
            {
                ["name"] = f.Name, ["label"] = f.Label,
                ["type"] = f.Type is "user" ? "text" : f.Type,
                ["required"] = access == "edit" && f.Required,
                ["editable"] = access == "edit",
                ["visible"] = access != "hidden",
            };
            if (f.Type == "select") field["options"] = new JsonArray([.. f.Options.Select(o => (JsonNode)o)]);
            fields.Add(field);
        }
        return new JsonObject { ["fields"] = fields };
    }

    public static JsonNode Rules(RuleSpec rule, string pickKey)
    {
        JsonObject one = rule.Type switch
        {
            "users" => new JsonObject { ["type"] = "users", ["users"] = new JsonArray([.. rule.Users.Select(u => (JsonNode)u.Id)]) },
            "initiator" => new JsonObject { ["type"] = "initiator" },
            "initiatorPrincipal" => new JsonObject { ["type"] = "initiatorPrincipal" },
            "initiatorPicks" => new JsonObject { ["type"] = "initiatorPicks", ["key"] = pickKey },
            "field" => new JsonObject { ["type"] = "variable", ["name"] = rule.Field },
            _ => new JsonObject { ["type"] = "role", ["role"] = rule.Role, ["scope"] = rule.Scope ?? "initiatorSchool" },
        };
        return ObjectInput(new JsonArray(one));
    }

    // Literals in scripts stay readable (中文 as is); quotes and backslashes are still escaped.
    private static readonly JsonSerializerOptions ScriptLiterals = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Js(object value) => JsonSerializer.Serialize(value, ScriptLiterals);

    /// <summary>JavaScript of a condition: the field's value is the latest one (a step may have edited it) or the start input.</summary>
    public static string ConditionScript(ConditionSpec? c)
    {
        if (c is null) return "false";
        if (c.Op == "js") return string.IsNullOrWhiteSpace(c.Expression) ? "false" : c.Expression.Trim();
        var field = Js(c.Field ?? "");
        var v = $"(getVariable({field}) ?? getInput({field}))";
        var text = Js(c.Value ?? "");
        var isNumber = double.TryParse(c.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number);
        var num = number.ToString("R", CultureInfo.InvariantCulture);
        return c.Op switch
        {
            "eq" => isNumber ? $"Number({v}) === {num}" : $"String({v} ?? \"\") === {text}",
            "ne" => isNumber ? $"Number({v}) !== {num}" : $"String({v} ?? \"\") !== {text}",
            "gt" => $"Number({v}) > {(isNumber ? num : "NaN")}",
            "gte" => $"Number({v}) >= {(isNumber ? num : "NaN")}",
            "lt" => $"Number({v}) < {(isNumber ? num : "NaN")}",
            "lte" => $"Number({v}) <= {(isNumber ? num : "NaN")}",
            "contains" => $"String({v} ?? \"\").includes({text})",
            "in" => $"{Js((c.Value ?? "").Split([',', '，', '、'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))}.includes(String({v} ?? \"\"))",
            "empty" => $"({v}) == null || String({v}) === \"\"",
            "notEmpty" => $"!(({v}) == null || String({v}) === \"\")",
            _ => "false",
        };
    }

    private static JsonObject InputOf(FieldSpec f)
    {
        var input = new JsonObject
        {
            ["name"] = f.Name,
            ["displayName"] = f.Label,
            ["type"] = f.Type == "number" ? "Double" : "String",
            ["uiHint"] = f.Type switch { "textarea" => "multiline", "select" => "dropdown", "date" => "datepicker", "user" => "user", _ => "singleline" },
            ["fieldType"] = f.Type,
            ["required"] = f.Required,
        };
        if (f.Type == "select") input["options"] = new JsonArray([.. f.Options.Select(o => (JsonNode)o)]);
        return input;
    }

    private static JsonObject Activity(string id, string type, string name, params (string Name, JsonNode Value)[] inputs)
    {
        var activity = new JsonObject { ["id"] = id, ["type"] = type, ["name"] = name };
        foreach (var (input, value) in inputs) activity[input] = value;
        return activity;
    }

    private void Add(JsonObject activity, double x, double y)
    {
        activity["metadata"] = new JsonObject
        {
            ["designer"] = new JsonObject { ["position"] = new JsonObject { ["x"] = Math.Round(x), ["y"] = Math.Round(y) } },
            ["displayText"] = activity["name"]?.DeepClone(),
        };
        _activities.Add(activity);
        _maxY = Math.Max(_maxY, (int)y);
    }

    private void Connect(IEnumerable<(string From, string Port)> exits, string target)
    {
        foreach (var (from, port) in exits) _connections.Add(Connection(from, port, target));
    }

    private static JsonObject Connection(string from, string port, string to) => new()
    {
        ["source"] = new JsonObject { ["activity"] = from, ["port"] = port },
        ["target"] = new JsonObject { ["activity"] = to, ["port"] = "In" },
    };

    public static JsonObject Literal(string value, string typeName = "String") =>
        new() { ["typeName"] = typeName, ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = value } };

    private static JsonObject Script(string script, string typeName) =>
        new() { ["typeName"] = typeName, ["expression"] = new JsonObject { ["type"] = "JavaScript", ["value"] = script } };

    private static JsonObject ObjectInput(JsonNode value) =>
        new() { ["typeName"] = "Object", ["expression"] = new JsonObject { ["type"] = "Object", ["value"] = value.ToJsonString() } };
}
