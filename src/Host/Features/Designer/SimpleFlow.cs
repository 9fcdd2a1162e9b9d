using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Workflows.Host.Features.Designer;

/// <summary>
/// The simple designer's tree (DingTalk/Feishu style): 发起人, then steps top to bottom; condition and parallel nodes hold
/// branches of their own steps. It compiles to an Elsa flowchart (<see cref="SimpleFlowCompiler"/>) and is kept in the
/// definition's <c>customProperties.simpleDesigner</c> so the designer can reopen it.
/// </summary>
public sealed class SimpleFlow
{
    public int SchemaVersion { get; set; } = 1;
    public StartSettings Start { get; set; } = new();
    public List<SimpleNode> Nodes { get; set; } = [];

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public JsonNode ToJson() => JsonSerializer.SerializeToNode(this, Json)!;

    public static SimpleFlow? FromJson(JsonNode? node)
    {
        if (node is not JsonObject) return null;
        try { return node.Deserialize<SimpleFlow>(Json); }
        catch (JsonException) { return null; }
    }

    /// <summary>Every node of the tree, depth first.</summary>
    public IEnumerable<SimpleNode> AllNodes() => Walk(Nodes);

    private static IEnumerable<SimpleNode> Walk(IEnumerable<SimpleNode> nodes)
    {
        foreach (var node in nodes)
        {
            yield return node;
            foreach (var branch in node.Branches)
                foreach (var child in Walk(branch.Nodes))
                    yield return child;
        }
    }

    /// <summary>The list holding <paramref name="node"/> (the top list or a branch's), for inserting and removing.</summary>
    public List<SimpleNode>? ListOf(SimpleNode node) => Find(Nodes, node);

    private static List<SimpleNode>? Find(List<SimpleNode> list, SimpleNode node)
    {
        if (list.Contains(node)) return list;
        foreach (var n in list)
            foreach (var b in n.Branches)
                if (Find(b.Nodes, node) is { } found) return found;
        return null;
    }
}

/// <summary>发起人: who may start, the start form, and which KPI the process feeds.</summary>
public sealed class StartSettings
{
    public string Name { get; set; } = "发起人";
    public List<string> InitiatorRoles { get; set; } = [];
    public List<FieldSpec> Fields { get; set; } = [];

    /// <summary>"rotation", "training" or null (see the dashboard).</summary>
    public string? Kpi { get; set; }
}

/// <summary>One field of the start form (the definition's inputs), visible to later steps as their permissions say.</summary>
public sealed class FieldSpec
{
    public string Name { get; set; } = "";
    public string Label { get; set; } = "";
    /// <summary>text, number, date, select, textarea or user.</summary>
    public string Type { get; set; } = "text";
    public bool Required { get; set; }
    public List<string> Options { get; set; } = [];
}

public static class NodeKinds
{
    public const string Approval = "approval";       // 审批人
    public const string Condition = "condition";     // 条件分支
    public const string Parallel = "parallel";       // 并行分支
    public const string Cc = "cc";                   // 抄送人
    public const string Publicity = "publicity";     // 公示
    public const string SignOff = "signoff";         // 签署
    public const string Delay = "delay";             // 延时

    public static readonly string[] All = [Approval, Condition, Parallel, Cc, Publicity, SignOff, Delay];
}

public sealed class SimpleNode
{
    public string Id { get; set; } = "";
    public string Kind { get; set; } = NodeKinds.Approval;
    public string Name { get; set; } = "";

    // 审批人 / 签署 / 公示 (its handler)
    public string Mode { get; set; } = "Sequential";
    public double? Threshold { get; set; }
    public RuleSpec Assignees { get; set; } = new();
    public int? DueInWorkingDays { get; set; }
    public int? RemindBeforeDue { get; set; }
    public int? RemindEvery { get; set; }
    public string TimeoutAction { get; set; } = "Remind";
    public RuleSpec? EscalateTo { get; set; }
    /// <summary>Start-form field name → "edit", "read" or "hidden" (missing = read).</summary>
    public Dictionary<string, string> FieldAccess { get; set; } = [];

    // 抄送人, and the audience of a 公示
    public RuleSpec To { get; set; } = new();

    // 公示: the window, and the start-form person field that names the nominees
    public int? WorkingDays { get; set; }
    public string? NomineesField { get; set; }

    // 延时
    public int? DelayDays { get; set; }
    public int? DelayHours { get; set; }

    // 条件分支 (the last branch is the default) / 并行分支
    public List<Branch> Branches { get; set; } = [];

    public static SimpleNode Create(string kind, string id, Func<string, string> name) => kind switch
    {
        NodeKinds.Condition => new SimpleNode
        {
            Id = id, Kind = kind, Name = name("designer.kind.condition"),
            Branches =
            [
                new Branch { Id = id + "-1", Name = name("designer.branch.condition") + " 1", Condition = new ConditionSpec() },
                new Branch { Id = id + "-d", Name = name("designer.branch.default"), IsDefault = true },
            ],
        },
        NodeKinds.Parallel => new SimpleNode
        {
            Id = id, Kind = kind, Name = name("designer.kind.parallel"),
            Branches = [new Branch { Id = id + "-1", Name = name("designer.branch.parallel") + " 1" }, new Branch { Id = id + "-2", Name = name("designer.branch.parallel") + " 2" }],
        },
        NodeKinds.Publicity => new SimpleNode
        {
            Id = id, Kind = kind, Name = name("designer.kind.publicity"), WorkingDays = 5,
            Assignees = new RuleSpec { Type = "role", Role = "BureauPersonnel", Scope = "county" },
        },
        NodeKinds.SignOff => new SimpleNode { Id = id, Kind = kind, Name = name("designer.kind.signoff"), Mode = "All" },
        NodeKinds.Delay => new SimpleNode { Id = id, Kind = kind, Name = name("designer.kind.delay"), DelayDays = 1 },
        NodeKinds.Cc => new SimpleNode { Id = id, Kind = kind, Name = name("designer.kind.cc") },
        _ => new SimpleNode { Id = id, Kind = NodeKinds.Approval, Name = name("designer.kind.approval") },
    };
}

public sealed class Branch
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public bool IsDefault { get; set; }
    public ConditionSpec? Condition { get; set; }
    public List<SimpleNode> Nodes { get; set; } = [];
}

/// <summary>A branch condition: a start-form field compared with a value, or a JavaScript expression of our own.</summary>
public sealed class ConditionSpec
{
    public string? Field { get; set; }
    /// <summary>eq, ne, gt, gte, lt, lte, contains, in, empty, notEmpty, or "js" for <see cref="Expression"/>.</summary>
    public string Op { get; set; } = "eq";
    public string? Value { get; set; }
    public string? Expression { get; set; }

    public static readonly string[] Ops = ["eq", "ne", "gt", "gte", "lt", "lte", "contains", "in", "empty", "notEmpty", "js"];
    public bool NeedsValue => Op is not ("empty" or "notEmpty" or "js");
}

/// <summary>Who a step names: one of the assignee rules of the approval activity (docs/approvals.md).</summary>
public sealed class RuleSpec
{
    /// <summary>users, role, initiator, initiatorPrincipal, initiatorPicks or field.</summary>
    public string Type { get; set; } = "role";
    public List<PickedUser> Users { get; set; } = [];
    public string? Role { get; set; } = "Principal";
    public string? Scope { get; set; } = "initiatorSchool";
    public string? Field { get; set; }

    public static readonly string[] Types = ["users", "role", "initiator", "initiatorPrincipal", "initiatorPicks", "field"];
    public static readonly string[] Scopes = ["initiatorSchool", "initiatorFederation", "county"];
}

public sealed record PickedUser(string Id, string Name);
