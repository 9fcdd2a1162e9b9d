using System.Text.Json.Nodes;
using Workflows.Activities.Approvals;
using Workflows.Activities.Tests.Approvals.Support;
using Workflows.Engine.Execution;
using static Workflows.Activities.Tests.Approvals.Support.Def;

namespace Workflows.Activities.Tests.Approvals;

/// <summary>What an assignee can do with a task, and what is refused.</summary>
public sealed class ActionTests
{
    private static Task<ApprovalRun> StartOne(string user = "principal.e1", params (string, JsonNode?)[] inputs) =>
        ApprovalRun.StartAsync(Chain(Step("step", $$"""[{"type":"users","users":["{{user}}"]}]""", inputs)));

    [Fact]
    public async Task A_task_bookmark_carries_what_the_host_needs_to_show_the_task()
    {
        var form = Json("""{"fields":[{"name":"reason","label":"理由","type":"text"}]}""");
        var run = await StartOne(inputs: [("form", Object(form)), Mode("All")]);

        var task = run.TaskOf("principal.e1");
        Assert.Equal(Approval.BookmarkKind, task.Kind);
        Assert.Equal("step", task.ActivityId);
        Assert.Null(task.DueAt); // a due time would make it a timer for the host
        var p = task.Payload!;
        Assert.Equal("Approval", p["taskKind"]!.ToString());
        Assert.Equal("step step", p["stepName"]!.ToString());
        Assert.Equal("principal.e1", p["assigneeId"]!.ToString());
        Assert.Null(p["dueAt"]);
        Assert.Null(p["delegatedFrom"]);
        Assert.Equal("All", p["mode"]!.ToString());
        Assert.True(JsonNode.DeepEquals(form, p["form"]));
        Assert.Equal(ApprovalActions.All, p["actions"]!.AsArray().Select(a => a!.ToString()));
    }

    [Fact]
    public async Task Approving_journals_the_decision_and_records_it_in_the_decisions_output()
    {
        var run = await StartOne();
        run.Time.Advance(TimeSpan.FromHours(2));

        await run.ApproveAsync("principal.e1", "同意");

        Assert.Equal(["step:Approved"], run.Lines);
        Assert.Contains(run.Last.Journal, j => j.Event == "TaskAction" && j.ActivityId == "step" && j.Summary == "principal.e1 approve: 同意");
        var decision = Assert.Single(run.Decisions("step"))!;
        Assert.Equal("principal.e1", decision["userId"]!.ToString());
        Assert.Equal("approve", decision["action"]!.ToString());
        Assert.Equal("同意", decision["comment"]!.ToString());
        Assert.Equal(ApprovalRun.Monday.AddHours(2), DateTimeOffset.Parse(decision["at"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Rejecting_leaves_through_Rejected_with_the_comment_journaled()
    {
        var run = await StartOne();

        await run.RejectAsync("principal.e1", "不符合条件");

        Assert.Equal(["step:Rejected"], run.Lines);
        Assert.Contains(run.Journal, j => j.Summary == "principal.e1 reject: 不符合条件");
    }

    [Fact]
    public async Task Returning_without_a_step_leaves_through_Returned()
    {
        var run = await StartOne();

        await run.ActAsync("principal.e1", ApprovalActions.Return, "请补充材料");

        Assert.Equal(["step:Returned"], run.Lines);
        Assert.Equal("return", Assert.Single(run.Decisions("step"))!["action"]!.ToString());
    }

    [Fact]
    public async Task Returning_to_an_earlier_step_runs_that_step_again()
    {
        var run = await ApprovalRun.StartAsync(Chain(
            Step("s1", """[{"type":"users","users":["principal.e1"]}]"""),
            Step("s2", """[{"type":"users","users":["hr.1"]}]""")));
        await run.ApproveAsync("principal.e1");
        Assert.Equal(["hr.1"], run.Pending);

        await run.ActAsync("hr.1", ApprovalActions.Return, "校长请重新确认", toStep: "s1");

        Assert.Equal(["principal.e1"], run.Pending);
        Assert.Equal("s1", run.TaskOf("principal.e1").ActivityId);
        Assert.Contains(run.Last.Journal, j => j.Event == JournalEvents.TokenMoved && j.Summary == "s2 -> s1");
        Assert.Empty(run.Lines);

        await run.ApproveAsync("principal.e1");
        await run.ApproveAsync("hr.1");
        Assert.Equal(["s2:Approved"], run.Lines);
    }

    [Fact]
    public async Task Transferring_gives_the_task_to_the_new_assignee_who_then_decides()
    {
        var run = await StartOne();

        await run.ActAsync("principal.e1", ApprovalActions.Transfer, "请副校长处理", users: ["teacher.e1b"]);

        Assert.Equal(["teacher.e1b"], run.Pending);
        Assert.Equal("principal.e1", run.TaskOf("teacher.e1b").Payload!["delegatedFrom"]!.ToString());
        Assert.Contains(run.Journal, j => j.Summary == "principal.e1 transfer → teacher.e1b: 请副校长处理");

        await run.ApproveAsync("teacher.e1b");
        Assert.Equal(["step:Approved"], run.Lines);
    }

    [Fact]
    public async Task Delegating_asks_the_delegate_for_advice_and_the_task_comes_back_to_the_delegator()
    {
        var run = await StartOne();

        await run.ActAsync("principal.e1", ApprovalActions.Delegate, users: ["office.e1"]);
        var delegated = run.TaskOf("office.e1");
        Assert.Equal(["office.e1"], run.Pending);
        Assert.Equal("principal.e1", delegated.Payload!["delegatedFrom"]!.ToString());
        Assert.Equal(ApprovalActions.Advice, delegated.Payload["actions"]!.AsArray().Select(a => a!.ToString()));

        // The delegate's reject is advice: it does not reject the step.
        await run.RejectAsync("office.e1", "建议不批");

        Assert.Equal(["principal.e1"], run.Pending);
        Assert.Empty(run.Lines);
        var advice = run.Decisions("step").Last()!;
        Assert.Equal("office.e1", advice["userId"]!.ToString());
        Assert.Equal("principal.e1", advice["adviceFor"]!.ToString());

        await run.ApproveAsync("principal.e1");
        Assert.Equal(["step:Approved"], run.Lines);
    }

    [Fact]
    public async Task Adding_a_signer_before_asks_the_new_signer_first_then_the_task_comes_back()
    {
        var run = await StartOne();

        await run.ActAsync("principal.e1", ApprovalActions.AddSigner, users: ["lead.east"], position: ApprovalActions.PositionBefore);
        Assert.Equal(["lead.east"], run.Pending);

        await run.ApproveAsync("lead.east");
        Assert.Equal(["principal.e1"], run.Pending);
        Assert.Empty(run.Lines);

        await run.ApproveAsync("principal.e1");
        Assert.Equal(["step:Approved"], run.Lines);
    }

    [Fact]
    public async Task A_signer_added_before_who_rejects_rejects_the_step()
    {
        var run = await StartOne();
        await run.ActAsync("principal.e1", ApprovalActions.AddSigner, users: ["lead.east"], position: ApprovalActions.PositionBefore);

        await run.RejectAsync("lead.east");

        Assert.Equal(["step:Rejected"], run.Lines);
    }

    [Fact]
    public async Task Adding_a_signer_after_approves_for_the_actor_and_the_new_signer_decides_next()
    {
        var run = await ApprovalRun.StartAsync(Chain(Step("step", """[{"type":"users","users":["principal.e1","hr.1"]}]""")));

        await run.ActAsync("principal.e1", ApprovalActions.AddSigner, users: ["lead.east"], position: ApprovalActions.PositionAfter);

        // In this sequential step the added signer comes right after the actor, before hr.1.
        Assert.Equal(["lead.east"], run.Pending);
        await run.ApproveAsync("lead.east");
        Assert.Equal(["hr.1"], run.Pending);
        await run.ApproveAsync("hr.1");
        Assert.Equal(["step:Approved"], run.Lines);
        Assert.Equal(["addSigner", "approve", "approve"], run.Decisions("step").Select(d => d!["action"]!.ToString()));
    }

    [Fact]
    public async Task Acting_on_someone_else_task_is_refused_and_the_task_stays_as_it_was()
    {
        var run = await StartOne();
        var task = run.TaskOf("principal.e1");
        var payload = ApprovalRun.Payload("hr.1", ApprovalActions.Approve);

        var errors = ApprovalTaskCheck.Check(task, payload);
        Assert.Equal("只有待办的处理人本人才能办理", errors["userId"]);

        // Resumed anyway: nothing faults, nothing changes for the host.
        await run.ResumeAsync(task, payload);
        Assert.Equal(WorkflowSubStatus.Suspended, run.SubStatus);
        Assert.Equal(task.Id, run.TaskOf("principal.e1").Id);
        Assert.Empty(run.Last.CreatedBookmarks);
        Assert.Empty(run.Last.RemovedBookmarks);
        Assert.Contains(run.Last.Journal, j => j.Event == ApprovalJournalEvents.TaskActionRefused && j.Summary!.Contains("userId"));
        Assert.Empty(run.Decisions("step"));

        await run.ApproveAsync("principal.e1");
        Assert.Equal(["step:Approved"], run.Lines);
    }

    [Fact]
    public async Task Transferring_to_an_inactive_user_is_refused_inside_the_run_and_the_task_is_kept()
    {
        var run = await StartOne();
        var task = run.TaskOf("principal.e1");
        var payload = ApprovalRun.Payload("principal.e1", ApprovalActions.Transfer, users: ["retired.e2"]);

        Assert.Empty(ApprovalTaskCheck.Check(task, payload)); // the static check cannot know
        Assert.Equal("用户「retired.e2」不存在或已停用", (await ApprovalTaskCheck.CheckAsync(task, payload, run.Org, ct: TestContext.Current.CancellationToken))["users"]);

        await run.ResumeAsync(task, payload);

        Assert.Equal(task.Id, run.TaskOf("principal.e1").Id);
        Assert.Empty(run.Last.RemovedBookmarks);
        Assert.Contains(run.Last.Journal, j => j.Event == ApprovalJournalEvents.TaskActionRefused && j.Summary!.Contains("retired.e2"));
    }

    [Fact]
    public async Task An_action_the_step_does_not_allow_is_refused()
    {
        var run = await StartOne(inputs: ("actions", Object(Json("""["approve","reject"]"""))));
        var task = run.TaskOf("principal.e1");
        Assert.Equal(["approve", "reject"], task.Payload!["actions"]!.AsArray().Select(a => a!.ToString()));

        var errors = ApprovalTaskCheck.Check(task, ApprovalRun.Payload("principal.e1", ApprovalActions.Transfer, users: ["hr.1"]));

        Assert.Equal("此待办不能「转交」", errors["action"]);
    }

    [Fact]
    public async Task Returning_to_a_step_that_is_not_in_the_flowchart_is_refused()
    {
        var run = await StartOne();
        var task = run.TaskOf("principal.e1");

        var errors = ApprovalTaskCheck.Check(task, ApprovalRun.Payload("principal.e1", ApprovalActions.Return, toStep: "nowhere"), run.Definition);
        Assert.Equal("没有步骤「nowhere」", errors["toStep"]);

        await run.ActAsync("principal.e1", ApprovalActions.Return, toStep: "step");
        Assert.Equal(task.Id, run.TaskOf("principal.e1").Id);
        Assert.Contains(run.Last.Journal, j => j.Event == ApprovalJournalEvents.TaskActionRefused && j.Summary!.Contains("不能退回到本步骤"));
    }

    [Fact]
    public async Task Handing_a_task_to_someone_who_already_has_a_task_in_the_step_is_refused()
    {
        var run = await ApprovalRun.StartAsync(Chain(Step("step", """[{"type":"users","users":["principal.e1","hr.1"]}]""", Mode("All"))));

        var before = run.Tasks.Select(b => b.Id).Order().ToList();
        var payload = ApprovalRun.Payload("principal.e1", ApprovalActions.Transfer, users: ["hr.1"]);

        // Given the instance's state, the host's check sees it too.
        Assert.Equal("用户「hr.1」已有本步骤的待办", ApprovalTaskCheck.Check(run.TaskOf("principal.e1"), payload, state: run.State)["users"]);

        await run.ResumeAsync(run.TaskOf("principal.e1"), payload);

        Assert.Equal(before, run.Tasks.Select(b => b.Id).Order());
        Assert.Contains(run.Last.Journal, j => j.Event == ApprovalJournalEvents.TaskActionRefused && j.Summary!.Contains("已有本步骤的待办"));
    }
}
