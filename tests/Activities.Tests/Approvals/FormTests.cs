using System.Text.Json.Nodes;
using Workflows.Activities.Approvals;
using Workflows.Activities.Tests.Approvals.Support;
using Workflows.Engine.Execution;
using static Workflows.Activities.Tests.Approvals.Support.Def;

namespace Workflows.Activities.Tests.Approvals;

/// <summary>The step's form: what a submission must hold, and what happens to a bad one.</summary>
public sealed class FormTests
{
    private static readonly JsonObject Form = Json("""
        {"fields":[
          {"name":"reason","label":"理由","type":"textarea","required":true},
          {"name":"days","label":"天数","type":"number","required":true},
          {"name":"startDate","label":"开始日期","type":"date"},
          {"name":"kind","label":"类别","type":"select","options":["病假","事假",{"value":"婚假","label":"婚假（3天）"}]},
          {"name":"applicant","label":"申请人","type":"text","editable":false},
          {"name":"secret","label":"内部备注","type":"text","visible":false}
        ]}
        """).AsObject();

    private static JsonObject Fields(string json) => Json(json).AsObject();

    private static Task<ApprovalRun> Start() =>
        ApprovalRun.StartAsync(Chain(Step("step", """[{"type":"users","users":["principal.e1"]}]""", ("form", Object(Form)))));

    [Fact]
    public void A_complete_valid_submission_has_no_errors() =>
        Assert.Empty(ApprovalForm.Validate(Form, Fields("""{"reason":"家中有事","days":"2","startDate":"2026-03-05","kind":"婚假"}""")));

    [Fact]
    public void A_missing_required_field_is_reported_by_its_label()
    {
        var errors = ApprovalForm.Validate(Form, Fields("""{"reason":"  ","startDate":"2026-03-05"}"""));

        Assert.Equal("「理由」为必填项", errors["reason"]);
        Assert.Equal("「天数」为必填项", errors["days"]);
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void Values_that_do_not_parse_as_their_type_are_reported()
    {
        var errors = ApprovalForm.Validate(Form, Fields("""{"reason":"x","days":"两天","startDate":"3月5日"}"""));

        Assert.Equal("「天数」必须是数字", errors["days"]);
        Assert.Equal("「开始日期」必须是日期（yyyy-MM-dd）", errors["startDate"]);
    }

    [Fact]
    public void A_value_for_a_field_that_is_not_editable_or_not_on_the_form_is_refused()
    {
        var errors = ApprovalForm.Validate(Form, Fields("""{"reason":"x","days":1,"applicant":"someone","secret":"y","salary":100}"""));

        Assert.Equal("「申请人」不可修改", errors["applicant"]);
        Assert.Equal("「内部备注」不可修改", errors["secret"]);
        Assert.Equal("表单中没有字段「salary」", errors["salary"]);
    }

    [Fact]
    public void A_select_value_must_be_one_of_the_options()
    {
        var errors = ApprovalForm.Validate(Form, Fields("""{"reason":"x","days":1,"kind":"年假"}"""));

        Assert.Equal("「类别」必须是以下选项之一：病假、事假、婚假", errors["kind"]);
    }

    [Fact]
    public void Handing_a_task_on_does_not_require_the_form_to_be_complete()
    {
        Assert.Empty(ApprovalForm.Validate(Form, null, requireFields: false));
        Assert.Equal("「天数」必须是数字", ApprovalForm.Validate(Form, Fields("""{"days":"x"}"""), requireFields: false)["days"]);
    }

    [Fact]
    public async Task Approving_without_a_required_field_is_refused_and_the_task_stays_pending_unchanged()
    {
        var run = await Start();
        var task = run.TaskOf("principal.e1");
        var payload = ApprovalRun.Payload("principal.e1", ApprovalActions.Approve, fields: Fields("""{"days":2}"""));
        var stateBefore = run.State;

        // The host checks first and shows the message …
        Assert.Equal("「理由」为必填项", ApprovalTaskCheck.Check(task, payload)["fields.reason"]);

        // … and if the submission reaches the engine anyway, nothing faults and nothing is stored.
        await run.ResumeAsync(task, payload);

        Assert.Equal(WorkflowSubStatus.Suspended, run.SubStatus);
        var kept = run.TaskOf("principal.e1");
        Assert.Equal(task.Id, kept.Id);
        Assert.Equal(task.Payload!.ToJsonString(), kept.Payload!.ToJsonString());
        Assert.Empty(run.Last.CreatedBookmarks);
        Assert.Empty(run.Last.RemovedBookmarks);
        Assert.False(run.State.Variables.ContainsKey("days"));
        Assert.Equal(stateBefore.Activities.Single(a => a.ActivityId == "step").Properties!.ToJsonString(),
            run.State.Activities.Single(a => a.ActivityId == "step").Properties!.ToJsonString());
        Assert.Contains(run.Last.Journal, j => j.Event == ApprovalJournalEvents.TaskActionRefused && j.Summary!.Contains("「理由」为必填项"));
    }

    [Fact]
    public async Task Rejecting_with_a_value_of_the_wrong_type_is_refused()
    {
        var run = await Start();

        await run.ActAsync("principal.e1", ApprovalActions.Reject, fields: Fields("""{"reason":"不批","days":"很多"}"""));

        Assert.Single(run.Tasks);
        Assert.Contains(run.Last.Journal, j => j.Event == ApprovalJournalEvents.TaskActionRefused && j.Summary!.Contains("「天数」必须是数字"));
    }

    [Fact]
    public async Task Submitting_a_field_that_is_not_editable_is_refused()
    {
        var run = await Start();

        await run.ActAsync("principal.e1", ApprovalActions.Approve, fields: Fields("""{"reason":"同意","days":1,"applicant":"me"}"""));

        Assert.Single(run.Tasks);
        Assert.Contains(run.Last.Journal, j => j.Event == ApprovalJournalEvents.TaskActionRefused && j.Summary!.Contains("「申请人」不可修改"));
    }

    [Fact]
    public async Task A_select_value_outside_the_options_is_refused()
    {
        var run = await Start();

        await run.ActAsync("principal.e1", ApprovalActions.Approve, fields: Fields("""{"reason":"同意","days":1,"kind":"年假"}"""));

        Assert.Single(run.Tasks);
        Assert.Contains(run.Last.Journal, j => j.Event == ApprovalJournalEvents.TaskActionRefused && j.Summary!.Contains("fields.kind"));
    }

    [Fact]
    public async Task Fields_sent_with_an_action_that_does_not_decide_are_ignored()
    {
        var run = await Start();
        var payload = ApprovalRun.Payload("principal.e1", ApprovalActions.Transfer, fields: Fields("""{"days":"x"}"""), users: ["office.e1"]);

        Assert.Empty(ApprovalTaskCheck.Check(run.TaskOf("principal.e1"), payload));
        await run.ResumeAsync(run.TaskOf("principal.e1"), payload);

        Assert.Equal(["office.e1"], run.Pending);
        Assert.False(run.State.Variables.ContainsKey("days"));
    }

    [Fact]
    public async Task Valid_values_are_stored_in_variables_of_the_same_names()
    {
        var run = await Start();

        await run.ActAsync("principal.e1", ApprovalActions.Approve,
            fields: Fields("""{"reason":"同意","days":"2.5","startDate":"2026-03-05","kind":"病假"}"""));

        Assert.Equal(["step:Approved"], run.Lines);
        var variables = run.State.Variables;
        Assert.Equal("同意", variables["reason"]!.ToString());
        Assert.Equal(2.5, variables["days"]!.GetValue<double>());
        Assert.Equal("2026-03-05", variables["startDate"]!.ToString());
        Assert.Equal("病假", variables["kind"]!.ToString());
    }
}
