using System.Text.Json.Nodes;
using Workflows.Activities.Tests.Approvals.Support;
using Workflows.Engine.Execution;
using static Workflows.Activities.Tests.Approvals.Support.Def;

namespace Workflows.Activities.Tests.Approvals;

/// <summary>Each assignee rule, resolved through the engine with the test organisation (see <see cref="Org"/>).</summary>
public sealed class AssigneeRuleTests
{
    private static Task<ApprovalRun> StartAll(string rules, string initiator = "teacher.e1", JsonObject? input = null, params JsonObject[] before) =>
        ApprovalRun.StartAsync(Chain([.. before, Step("step", rules, Mode("All"))]), initiator, input);

    [Fact]
    public async Task A_users_rule_assigns_the_listed_users_in_order_without_duplicates_or_inactive_users()
    {
        var run = await StartAll("""[{"type":"users","users":["principal.e1","hr.1","principal.e1","retired.e2","nobody.x"]}]""");

        Assert.Equal(["principal.e1", "hr.1"], run.Pending);
    }

    [Fact]
    public async Task A_role_rule_scoped_to_the_initiator_school_assigns_its_principal()
    {
        var run = await StartAll("""[{"type":"role","role":"Principal","scope":"initiatorSchool"}]""", initiator: "teacher.w1");

        Assert.Equal(["principal.w1"], run.Pending);
    }

    [Fact]
    public async Task A_role_rule_scoped_to_the_initiator_federation_assigns_its_lead()
    {
        var run = await StartAll("""[{"type":"role","role":"Lead","scope":"initiatorFederation"}]""", initiator: "teacher.e2");

        Assert.Equal(["lead.east"], run.Pending);
    }

    [Fact]
    public async Task A_role_rule_scoped_to_the_county_assigns_the_bureau_staff()
    {
        var run = await StartAll("""[{"type":"role","role":"BureauPersonnel","scope":"county"}]""");

        Assert.Equal(["hr.1", "hr.2"], run.Pending);
    }

    [Fact]
    public async Task A_role_rule_scoped_to_an_org_unit_id_assigns_the_role_holders_of_that_unit()
    {
        var run = await StartAll("""[{"type":"role","role":"Principal","scope":"sch-w1"}]""");

        Assert.Equal(["principal.w1"], run.Pending);
    }

    [Fact]
    public async Task A_role_rule_scoped_to_the_school_of_a_variable_assigns_the_principal_of_that_user_school()
    {
        // 调动: the receiving school's principal; the teacher to move is set in a variable.
        var run = await StartAll("""[{"type":"role","role":"Principal","scope":"schoolOfVariable:Transferee"}]""",
            before: Node("set", "Elsa.SetVariable", ("variable", new JsonObject { ["name"] = "Transferee" }), ("value", Literal("teacher.w1"))));

        Assert.Equal(["principal.w1"], run.Pending);
    }

    [Fact]
    public async Task A_role_rule_scoped_to_the_federation_of_a_variable_falls_back_to_the_workflow_input()
    {
        var run = await StartAll("""[{"type":"role","role":"Lead","scope":"federationOfVariable:Target"}]""",
            input: new JsonObject { ["Target"] = "teacher.w1" });

        Assert.Equal(["lead.west"], run.Pending);
    }

    [Fact]
    public async Task The_initiator_rule_assigns_the_initiator()
    {
        var run = await StartAll("""[{"type":"initiator"}]""", initiator: "teacher.e2");

        Assert.Equal(["teacher.e2"], run.Pending);
    }

    [Fact]
    public async Task The_initiator_principal_rule_assigns_the_active_principal_of_the_initiator_school()
    {
        // sch-e2 has two principals on record; retired.e2 is inactive.
        var run = await StartAll("""[{"type":"initiatorPrincipal"}]""", initiator: "teacher.e2");

        Assert.Equal(["principal.e2"], run.Pending);
    }

    [Fact]
    public async Task A_variable_rule_reads_user_ids_from_a_variable()
    {
        var run = await StartAll("""[{"type":"variable","name":"Reviewers"}]""",
            before: Node("set", "Elsa.SetVariable", ("variable", new JsonObject { ["name"] = "Reviewers" }),
                ("value", Object(Json("""["hr.2","lead.west"]""")))));

        Assert.Equal(["hr.2", "lead.west"], run.Pending);
    }

    [Fact]
    public async Task A_variable_rule_reads_the_workflow_input_when_there_is_no_such_variable()
    {
        var run = await StartAll("""[{"type":"variable","name":"Reviewer"}]""", input: new JsonObject { ["Reviewer"] = "lead.east" });

        Assert.Equal(["lead.east"], run.Pending);
    }

    [Fact]
    public async Task An_initiator_picks_rule_reads_the_ids_the_initiator_chose_in_the_assignees_input()
    {
        var input = new JsonObject { ["assignees"] = new JsonObject { ["step2"] = new JsonArray("principal.e2", "hr.1") } };

        var run = await StartAll("""[{"type":"initiatorPicks","key":"step2"}]""", input: input);

        Assert.Equal(["principal.e2", "hr.1"], run.Pending);
    }

    [Fact]
    public async Task Several_rules_are_applied_in_order_and_a_user_named_twice_gets_one_task()
    {
        var run = await StartAll("""
            [{"type":"initiatorPrincipal"},
             {"type":"role","role":"Lead","scope":"initiatorFederation"},
             {"type":"users","users":["principal.e1","hr.1"]}]
            """);

        Assert.Equal(["principal.e1", "lead.east", "hr.1"], run.Pending);
    }

    [Fact]
    public async Task An_unknown_rule_type_faults_the_step_with_the_reason()
    {
        var run = await StartAll("""[{"type":"department","id":"x"}]""");

        Assert.Equal(WorkflowSubStatus.Faulted, run.SubStatus);
        Assert.Contains("unknown assignee rule type 'department'", Assert.Single(run.State.Incidents).Message);
    }
}
