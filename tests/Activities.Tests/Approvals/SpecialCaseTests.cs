using Workflows.Activities.Approvals;
using Workflows.Activities.Tests.Approvals.Support;
using Workflows.Engine.Execution;
using static Workflows.Activities.Tests.Approvals.Support.Def;

namespace Workflows.Activities.Tests.Approvals;

/// <summary>Nobody to approve, the initiator among the approvers, and 去重 across consecutive steps.</summary>
public sealed class SpecialCaseTests
{
    // teacher.w1's school has no SchoolOffice.
    private const string Nobody = """[{"type":"role","role":"SchoolOffice","scope":"initiatorSchool"}]""";

    [Fact]
    public async Task When_the_rules_name_nobody_the_step_is_approved_by_default()
    {
        var run = await ApprovalRun.StartAsync(Chain(Step("step", Nobody)), initiator: "teacher.w1");

        Assert.Equal(["step:Approved"], run.Lines);
        var decision = Assert.Single(run.Decisions("step"));
        Assert.Equal(Approval.SystemUser, decision!["userId"]!.ToString());
        Assert.Equal("autoApprove", decision["action"]!.ToString());
    }

    [Fact]
    public async Task When_the_rules_name_nobody_and_whenNobody_is_Admin_the_administrators_get_the_task()
    {
        var run = await ApprovalRun.StartAsync(Chain(Step("step", Nobody, ("whenNobody", Literal("Admin")))), initiator: "teacher.w1");

        Assert.Equal(["admin.1"], run.Pending);
        await run.ApproveAsync("admin.1");
        Assert.Equal(["step:Approved"], run.Lines);
    }

    [Fact]
    public async Task When_the_rules_name_nobody_and_whenNobody_is_Reject_the_step_is_rejected()
    {
        var run = await ApprovalRun.StartAsync(Chain(Step("step", Nobody, ("whenNobody", Literal("Reject")))), initiator: "teacher.w1");

        Assert.Equal(["step:Rejected"], run.Lines);
    }

    [Fact]
    public async Task Inactive_users_do_not_count_so_a_step_naming_only_them_follows_whenNobody()
    {
        var run = await ApprovalRun.StartAsync(Chain(Step("step", """[{"type":"users","users":["retired.e2"]}]""",
            ("whenNobody", Literal("Admin")))));

        Assert.Equal(["admin.1"], run.Pending);
    }

    [Fact]
    public async Task When_the_initiator_is_an_approver_and_whenInitiator_is_Skip_the_others_still_approve()
    {
        var run = await ApprovalRun.StartAsync(Chain(Step("step", """[{"type":"users","users":["principal.e1","hr.1"]}]""",
            Mode("All"), ("whenInitiator", Literal("Skip")))), initiator: "principal.e1");

        Assert.Equal(["hr.1"], run.Pending);
    }

    [Fact]
    public async Task When_the_initiator_is_the_only_approver_and_whenInitiator_is_Skip_the_step_is_approved()
    {
        // A principal asking for leave: the step "principal of my school" names the principal.
        var run = await ApprovalRun.StartAsync(Chain(Step("step", """[{"type":"initiatorPrincipal"}]""",
            ("whenInitiator", Literal("Skip")))), initiator: "principal.e1");

        Assert.Equal(["step:Approved"], run.Lines);
        Assert.Empty(run.Tasks);
    }

    [Fact]
    public async Task By_default_the_initiator_approves_their_own_request_like_anyone_else()
    {
        var run = await ApprovalRun.StartAsync(Chain(Step("step", """[{"type":"initiatorPrincipal"}]""")), initiator: "principal.e1");

        Assert.Equal(["principal.e1"], run.Pending);
    }

    [Fact]
    public async Task When_the_initiator_is_an_approver_and_whenInitiator_is_Principal_their_principal_approves_instead()
    {
        // office.e1 is on the bureau's list of reviewers, but their own request goes to their principal.
        var run = await ApprovalRun.StartAsync(Chain(Step("step", """[{"type":"users","users":["office.e1","hr.1"]}]""",
            ("whenInitiator", Literal("Principal")))), initiator: "office.e1");

        Assert.Equal(["principal.e1"], run.Pending);
        await run.ApproveAsync("principal.e1");
        Assert.Equal(["hr.1"], run.Pending);
    }

    [Fact]
    public async Task With_dedupe_someone_who_approved_the_previous_step_is_approved_automatically()
    {
        var run = await ApprovalRun.StartAsync(Chain(
            Step("s1", """[{"type":"users","users":["principal.e1"]}]"""),
            Step("s2", """[{"type":"users","users":["principal.e1","lead.east"]}]""", ("dedupe", Literal(true, "Boolean")))));

        await run.ApproveAsync("principal.e1");

        Assert.Equal(["lead.east"], run.Pending);
        var auto = Assert.Single(run.Decisions("s2"));
        Assert.Equal("principal.e1", auto!["userId"]!.ToString());
        Assert.Equal("autoApprove", auto["action"]!.ToString());
        Assert.Contains(run.Journal, j => j.Event == ApprovalJournalEvents.TaskAction && j.Summary!.StartsWith("principal.e1 autoApprove"));

        await run.ApproveAsync("lead.east");
        Assert.Equal(["s2:Approved"], run.Lines);
    }

    [Fact]
    public async Task With_dedupe_a_step_whose_approvers_all_approved_the_previous_step_completes_without_tasks()
    {
        var run = await ApprovalRun.StartAsync(Chain(
            Step("s1", """[{"type":"users","users":["principal.e1"]}]"""),
            Step("s2", """[{"type":"initiatorPrincipal"}]""", ("dedupe", Literal(true, "Boolean")))));

        await run.ApproveAsync("principal.e1");

        Assert.Equal(["s2:Approved"], run.Lines);
    }

    [Fact]
    public async Task Dedupe_only_looks_at_the_step_just_before_so_an_earlier_approver_is_asked_again()
    {
        var run = await ApprovalRun.StartAsync(Chain(
            Step("s1", """[{"type":"users","users":["principal.e1"]}]"""),
            Step("s2", """[{"type":"users","users":["lead.east"]}]"""),
            Step("s3", """[{"type":"users","users":["principal.e1"]}]""", ("dedupe", Literal(true, "Boolean")))));

        await run.ApproveAsync("principal.e1");
        await run.ApproveAsync("lead.east");

        Assert.Equal(["principal.e1"], run.Pending);
    }

    [Fact]
    public async Task Without_dedupe_someone_who_approved_the_previous_step_is_asked_again()
    {
        var run = await ApprovalRun.StartAsync(Chain(
            Step("s1", """[{"type":"users","users":["principal.e1"]}]"""),
            Step("s2", """[{"type":"users","users":["principal.e1"]}]""")));

        await run.ApproveAsync("principal.e1");

        Assert.Equal(["principal.e1"], run.Pending);
        Assert.Equal(WorkflowSubStatus.Suspended, run.SubStatus);
    }
}
