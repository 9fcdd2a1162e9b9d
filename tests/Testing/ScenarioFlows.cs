using System.Text.Json.Nodes;

namespace Workflows.Testing;

/// <summary>The definitions the fault harness (tests/Faults.Tests) and the Hosts bench drive (two approvals, a publicity notice), built as Elsa JSON.</summary>
public static class ScenarioFlows
{
    public const string Approval = "faults-approval";
    public const string Timer = "faults-timer";
    public const string Objection = "faults-objection";
    /// <summary>Access code of the <see cref="Objection"/> notices.</summary>
    public const string AccessCode = "faults-2026";
    /// <summary>The Delay of <see cref="Timer"/>: the Hosts run on the real clock, so a few seconds.</summary>
    public const string Delay = "00:00:03";

    private static JsonObject Input(string type, JsonNode value, string kind = "Literal") => new()
    {
        ["typeName"] = type,
        ["expression"] = new JsonObject { ["type"] = kind, ["value"] = value },
    };

    private static JsonObject Step(string id, string name, string userId) => new()
    {
        ["id"] = id, ["type"] = "Workflows.Approval",
        ["stepName"] = Input("String", name), ["mode"] = Input("String", "Sequential"),
        ["assignees"] = Input("Object", new JsonArray { new JsonObject { ["type"] = "users", ["users"] = new JsonArray(userId) } }.ToJsonString(), "Object"),
    };

    private static JsonObject Connection(string from, string port, string to) => new()
    {
        ["source"] = new JsonObject { ["activity"] = from, ["port"] = port },
        ["target"] = new JsonObject { ["activity"] = to, ["port"] = "In" },
    };

    private static JsonObject Flow(string id, string name, JsonArray activities, JsonArray connections) => new()
    {
        ["definitionId"] = id, ["name"] = name, ["version"] = 1,
        ["root"] = new JsonObject { ["id"] = "flow", ["type"] = "Elsa.Flowchart", ["activities"] = activities, ["connections"] = connections },
    };

    /// <summary>start → s1 (the principal) → Approved → s2 (the lead) → Approved → end; a reject ends the flow.</summary>
    public static JsonObject ApprovalFlow(string s1User, string s2User) => Flow(Approval, "故障测试：两级审批",
        [new JsonObject { ["id"] = "start", ["type"] = "Elsa.Start" }, Step("s1", "校长审批", s1User), Step("s2", "教联体审批", s2User),
         new JsonObject { ["id"] = "end", ["type"] = "Elsa.End" }],
        [Connection("start", "Done", "s1"), Connection("s1", "Approved", "s2"), Connection("s2", "Approved", "end")]);

    /// <summary>start → delay (a few seconds) → s1 (the principal) → end.</summary>
    public static JsonObject TimerFlow(string s1User) => Flow(Timer, "故障测试：定时后审批",
        [new JsonObject { ["id"] = "start", ["type"] = "Elsa.Start" },
         new JsonObject { ["id"] = "delay", ["type"] = "Elsa.Delay", ["timeSpan"] = Input("TimeSpan", Delay) },
         Step("s1", "校长审批", s1User), new JsonObject { ["id"] = "end", ["type"] = "Elsa.End" }],
        [Connection("start", "Done", "delay"), Connection("delay", "Done", "s1"), Connection("s1", "Approved", "end")]);

    /// <summary>
    /// start → notice (a Workflows.Publicity of <paramref name="nomineeId"/> for 1 working day; objections investigated by
    /// <paramref name="investigatorId"/>) → end.
    /// </summary>
    public static JsonObject ObjectionFlow(string nomineeId, string investigatorId) => Flow(Objection, "故障测试：公示与异议",
        [new JsonObject { ["id"] = "start", ["type"] = "Elsa.Start" },
         new JsonObject
         {
             ["id"] = "notice", ["type"] = "Workflows.Publicity",
             ["title"] = Input("String", "故障测试公示"),
             ["nominees"] = Input("Object", new JsonArray { new JsonObject { ["id"] = nomineeId, ["name"] = "公示对象" } }.ToJsonString(), "Object"),
             ["workingDays"] = Input("Int32", 1),
             ["accessCode"] = Input("String", AccessCode),
             ["investigators"] = Input("Object", new JsonArray { new JsonObject { ["type"] = "users", ["users"] = new JsonArray(investigatorId) } }.ToJsonString(), "Object"),
         },
         new JsonObject { ["id"] = "end", ["type"] = "Elsa.End" }],
        [Connection("start", "Done", "notice"), Connection("notice", "Done", "end")]);
}
