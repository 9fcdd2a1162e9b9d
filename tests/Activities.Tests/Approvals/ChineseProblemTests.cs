using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workflows.Activities.Notifications;
using Workflows.Engine.Activities;
using Workflows.Engine.Definitions;
using Workflows.Engine.Validation;
using static Workflows.Activities.Tests.Approvals.Support.Def;

namespace Workflows.Activities.Tests.Approvals;

/// <summary>
/// The design-time checks of the approval, notification and publicity steps write every problem in Simplified Chinese
/// too (the designer shows it to administrators), naming the same inputs and values as the English.
/// </summary>
public sealed partial class ChineseProblemTests
{
    private static readonly ActivityRegistry Registry = ActivityRegistry.CreateDefault().AddRange(ActivitiesRegistration.All());

    private static JsonObject Approval(string id, params (string Name, JsonNode? Value)[] inputs) =>
        Node(id, Workflows.Activities.Approvals.Approval.Type, [("stepName", Literal(id + " step")), .. inputs]);

    /// <summary>One broken step per kind of problem the activities report.</summary>
    private static readonly Dictionary<string, Func<WorkflowDefinition>> Broken = new()
    {
        ["no assignees"] = () => Chain(Approval("s1")),
        ["bad choices"] = () => Chain(Step("s1", """[{"type":"initiator"}]""", Mode("Majority"), ("whenNobody", Literal("Shrug")),
            ("whenInitiator", Literal("Ignore")), ("timeoutAction", Literal("Wait")))),
        ["escalate without escalateTo"] = () => Chain(Step("s1", """[{"type":"initiator"}]""", ("timeoutAction", Literal("Escalate")))),
        ["escalate to no rule"] = () => Chain(Step("s1", """[{"type":"initiator"}]""", ("timeoutAction", Literal("Escalate")),
            ("escalateTo", Object(Json("[]"))))),
        ["threshold"] = () => Chain(Step("s1", """[{"type":"initiator"}]""", Mode("Vote"), ("threshold", Literal(2, "Double")))),
        ["form not an object"] = () => Chain(Step("s1", """[{"type":"initiator"}]""", ("form", Object(Json("[1]"))))),
        ["form fields"] = () => Chain(Step("s1", """[{"type":"initiator"}]""", ("form", Object(Json(
            """{"fields":[{"type":"text"},{"name":"when","type":"clock"},{"name":"kind","type":"select"}]}"""))))),
        ["rules not JSON"] = () => Chain(Approval("s1", ("assignees", Literal("not json")))),
        ["rules not an array"] = () => Chain(Approval("s1", ("assignees", Object(Json("5"))))),
        ["rule not an object"] = () => Chain(Approval("s1", ("assignees", Object(Json("[5]"))))),
        ["incomplete rules"] = () => Chain(Approval("s1", ("assignees", Object(Json("""[{"type":"users"}]""")))),
            Approval("s2", ("assignees", Object(Json("""[{"type":"role"}]""")))),
            Approval("s3", ("assignees", Object(Json("""[{"type":"variable"}]""")))),
            Approval("s4", ("assignees", Object(Json("""[{"type":"initiatorPicks"}]"""))))),
        ["unknown rule type"] = () => Chain(Step("s1", """[{"type":"manager"}]""")),
        ["notify to nobody"] = () => Sequence(Node("n1", Notify.Type, ("subject", Literal("x")))),
        ["cc to a bad rule"] = () => Sequence(Node("c1", Cc.Type, ("to", Object(Json("""{"type":"boss"}"""))))),
        ["publicity"] = () => Sequence(Node("p1", Workflows.Activities.Publicities.Publicity.Type, ("title", Literal("公示")),
            ("workingDays", Literal(0, "Int32")), ("investigators", Object(Json("""[{"type":"role"}]"""))))),
    };

    public static TheoryData<string> Cases() => new(Broken.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_problem_has_a_Chinese_sentence_that_names_what_the_English_names(string kind)
    {
        var report = DefinitionValidator.Validate(Broken[kind](), Registry);

        Assert.NotEmpty(report.Problems);
        foreach (var problem in report.Problems)
        {
            Assert.False(string.IsNullOrWhiteSpace(problem.MessageZh), problem.Message);
            Assert.Matches(Cjk(), problem.MessageZh);
            Assert.DoesNotMatch(Cjk(), problem.Message);
            foreach (Match quoted in Quoted().Matches(problem.Message))
                Assert.True(problem.MessageZh.Contains(quoted.Groups[1].Value, StringComparison.Ordinal),
                    $"'{quoted.Groups[1].Value}' is named in \"{problem.Message}\" but not in \"{problem.MessageZh}\"");
        }
    }

    [Fact]
    public void The_approval_step_without_assignees_says_so_in_the_designer_s_words()
    {
        var problem = Assert.Single(DefinitionValidator.Validate(Chain(Approval("s1")), Registry).Problems);

        Assert.Equal(Severity.Warning, problem.Severity);
        Assert.Equal("The approval step has no 'assignees'; it will follow 'whenNobody'.", problem.Message);
        Assert.Equal("审批环节未设置审批人（assignees），将按“无人审批时”（whenNobody）的设置处理。", problem.MessageZh);
    }

    [Fact]
    public void A_malformed_rule_names_the_input_and_the_rule_in_Chinese()
    {
        var errors = DefinitionValidator.Validate(Chain(Step("s1", """[{"type":"initiator"},{"type":"manager"}]""")), Registry).Errors.ToList();

        var problem = Assert.Single(errors);
        Assert.Equal("'assignees': rule 2: unknown assignee rule type 'manager' (known: users, role, initiator, initiatorPrincipal, variable, initiatorPicks).",
            problem.Message);
        Assert.Equal("审批人（assignees）：第 2 条规则：未知的人员规则类型“manager”（可用：users, role, initiator, initiatorPrincipal, variable, initiatorPicks）。",
            problem.MessageZh);
    }

    [GeneratedRegex(@"[\u4e00-\u9fff]")]
    private static partial Regex Cjk();

    [GeneratedRegex(@"'([^']{1,80})'")]
    private static partial Regex Quoted();
}
