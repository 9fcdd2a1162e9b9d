using System.Text.Json.Nodes;
using Workflows.Engine.Activities;
using Workflows.Engine.Definitions;

namespace Workflows.Host.Features.Designer;

/// <summary>
/// The canvas palette: every activity the registry knows that fits a flat flowchart, with its outcomes (ports, from
/// <see cref="ActivityBehavior.Ports"/>) and the inputs the property panel offers. Composites that hold child activities
/// (Sequence, If, loops…) are left out of the palette; an imported definition keeps them untouched.
/// </summary>
public sealed class ActivityCatalog(ActivityRegistry registry)
{
    private static readonly HashSet<string> Hidden =
        ["Elsa.Flowchart", "Elsa.Sequence", "Elsa.Fork", "Elsa.If", "Elsa.Switch", "Elsa.ForEach", "Elsa.For", "Elsa.While", "Elsa.ParallelForEach", "Elsa.Break", "Elsa.FlowNode"];

    public sealed record InputSpec(string Name, string Kind, IReadOnlyList<string>? Options = null, string DefaultSyntax = "Literal", string TypeName = "String");

    public sealed record Entry(string Type, string Category, IReadOnlyList<string> Ports, IReadOnlyList<InputSpec> Inputs, bool Palette);

    private static readonly InputSpec[] Rules = [];

    private static readonly Dictionary<string, InputSpec[]> Inputs = new(StringComparer.Ordinal)
    {
        ["Workflows.Approval"] =
        [
            new("stepName", "text"), new("assignees", "json", TypeName: "Object"),
            new("mode", "select", ["Sequential", "All", "Any", "Vote"]), new("threshold", "number", TypeName: "Double"),
            new("dueInWorkingDays", "number", TypeName: "Int32"), new("reminders", "json", TypeName: "Object"),
            new("timeoutAction", "select", ["Remind", "Approve", "Reject", "Escalate"]), new("escalateTo", "json", TypeName: "Object"),
            new("form", "json", TypeName: "Object"), new("actions", "json", TypeName: "Object"), new("cc", "json", TypeName: "Object"),
            new("whenNobody", "select", ["AutoApprove", "Admin", "Reject"]), new("whenInitiator", "select", ["Allow", "Skip", "Principal"]),
        ],
        ["Workflows.Cc"] = [new("stepName", "text"), new("to", "json", TypeName: "Object")],
        ["Workflows.Notify"] = [new("to", "json", TypeName: "Object"), new("subject", "text"), new("body", "expression"), new("template", "text")],
        ["Elsa.WriteLine"] = [new("text", "expression")],
        ["Elsa.SetVariable"] = [new("variable", "text"), new("value", "expression", DefaultSyntax: "JavaScript", TypeName: "Object")],
        ["Elsa.SetOutput"] = [new("outputName", "text"), new("outputValue", "expression", TypeName: "Object")],
        ["Elsa.Correlate"] = [new("correlationId", "expression")],
        ["Elsa.FlowDecision"] = [new("condition", "expression", DefaultSyntax: "JavaScript", TypeName: "Boolean")],
        ["Elsa.FlowSwitch"] = [new("mode", "select", ["MatchFirst", "MatchAny"]), new("cases", "cases")],
        ["Elsa.FlowFork"] = [new("branches", "text")],
        ["Elsa.FlowJoin"] = [new("mode", "select", ["WaitAll", "WaitAny"])],
        ["Elsa.Delay"] = [new("timeSpan", "text", TypeName: "TimeSpan")],
        ["Elsa.Timer"] = [new("interval", "text", TypeName: "TimeSpan")],
        ["Elsa.StartAt"] = [new("dateTime", "expression", TypeName: "DateTimeOffset")],
        ["Elsa.Cron"] = [new("cronExpression", "text")],
        ["Elsa.Event"] = [new("eventName", "text")],
        ["Elsa.Fault"] = [new("code", "text"), new("message", "expression")],
        ["Elsa.Complete"] = [new("outcomes", "json", TypeName: "Object")],
    };

    private IReadOnlyList<Entry>? _entries;

    public IReadOnlyList<Entry> Entries => _entries ??= registry.All.Select(b => new Entry(b.TypeName, b.Category, PortsOf(b),
        Inputs.GetValueOrDefault(b.TypeName, Rules), !Hidden.Contains(b.TypeName))).ToList();

    public Entry? Find(string type) => Entries.FirstOrDefault(e => e.Type == type);

    /// <summary>The outcomes of a fresh activity of the type (a switch's and a fork's come from their cases/branches).</summary>
    private static IReadOnlyList<string> PortsOf(ActivityBehavior behavior)
    {
        var json = new JsonObject
        {
            ["definitionId"] = "catalog",
            ["root"] = new JsonObject
            {
                ["id"] = "root", ["type"] = "Elsa.Flowchart",
                ["activities"] = new JsonArray(new JsonObject { ["id"] = "a", ["type"] = behavior.TypeName }),
                ["connections"] = new JsonArray(),
            },
        };
        try
        {
            var definition = DefinitionReader.Parse(json.ToJsonString());
            return definition.Find("a") is { } node ? behavior.Ports(node) : ["Done"];
        }
        catch (Exception ex) when (ex is InvalidDefinitionException or InvalidOperationException or ArgumentException or FormatException)
        {
            return ["Done"];
        }
    }
}
