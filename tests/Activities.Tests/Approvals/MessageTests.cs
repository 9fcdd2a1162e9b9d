using System.Text.Json.Nodes;
using Workflows.Activities.Approvals;
using Workflows.Activities.Notifications;
using Workflows.Activities.Tests.Approvals.Support;
using Workflows.Engine.Activities;
using Workflows.Engine.Execution;
using Workflows.Engine.Validation;
using static Workflows.Activities.Tests.Approvals.Support.Def;

namespace Workflows.Activities.Tests.Approvals;

/// <summary>CC on approval, the Cc step, Notify, and how the activities are registered and validated.</summary>
public sealed class MessageTests
{
    // A new node each time: a JSON node belongs to one definition.
    private static (string, JsonNode?) CcLeadAndInitiator =>
        ("cc", Object(Json("""[{"type":"role","role":"Lead","scope":"initiatorFederation"},{"type":"initiator"}]""")));

    [Fact]
    public async Task CC_recipients_get_a_cc_message_when_the_step_is_approved()
    {
        var run = await ApprovalRun.StartAsync(Chain(Step("step", """[{"type":"initiatorPrincipal"}]""", CcLeadAndInitiator)));
        Assert.Empty(run.Messages);

        await run.ApproveAsync("principal.e1");

        var cc = Assert.Single(run.Last.Messages);
        Assert.Equal(MessageKinds.Cc, cc.Kind);
        Assert.Equal("step", cc.ActivityId);
        Assert.Equal(["lead.east", "teacher.e1"], cc.Data["userIds"]!.AsArray().Select(u => u!.ToString()));
        Assert.Equal("step step", cc.Data["stepName"]!.ToString());
    }

    [Fact]
    public async Task CC_recipients_get_nothing_when_the_step_is_rejected()
    {
        var run = await ApprovalRun.StartAsync(Chain(Step("step", """[{"type":"initiatorPrincipal"}]""", CcLeadAndInitiator)));

        await run.RejectAsync("principal.e1");

        Assert.Empty(run.Messages);
    }

    [Fact]
    public async Task A_Cc_step_copies_the_people_its_rules_name_and_goes_on()
    {
        var run = await ApprovalRun.StartAsync(Sequence(
            Node("cc", Cc.Type, ("to", Object(Json("""[{"type":"role","role":"BureauPersonnel","scope":"county"}]"""))),
                ("stepName", Literal("抄送人事科"))),
            WriteLine("after", "after")));

        var cc = Assert.Single(run.Messages);
        Assert.Equal(MessageKinds.Cc, cc.Kind);
        Assert.Equal(["hr.1", "hr.2"], cc.Data["userIds"]!.AsArray().Select(u => u!.ToString()));
        Assert.Equal("抄送人事科", cc.Data["stepName"]!.ToString());
        Assert.Equal(["after"], run.Lines);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }

    [Fact]
    public async Task Notify_sends_a_notify_message_with_the_rendered_subject_and_body()
    {
        var run = await ApprovalRun.StartAsync(Sequence(
            Node("notify", Notify.Type,
                ("to", Object(Json("""[{"type":"initiator"},{"type":"users","users":["hr.1"]}]"""))),
                ("subject", Literal("请假结果")),
                ("body", Input("Liquid", "{{ Input.name }} 的请假已批准", "String")),
                ("template", Literal("leave-approved")),
                ("model", Object(Json("""{"days":2}""")))),
            WriteLine("after", "after")), input: new JsonObject { ["name"] = "张老师" });

        var message = Assert.Single(run.Messages);
        Assert.Equal(MessageKinds.Notify, message.Kind);
        Assert.Equal("notify", message.ActivityId);
        Assert.Equal(["teacher.e1", "hr.1"], message.Data["userIds"]!.AsArray().Select(u => u!.ToString()));
        Assert.Equal("请假结果", message.Data["subject"]!.ToString());
        Assert.Equal("张老师 的请假已批准", message.Data["body"]!.ToString());
        Assert.Equal("leave-approved", message.Data["template"]!.ToString());
        Assert.Equal(2, message.Data["model"]!["days"]!.GetValue<int>());
        Assert.Equal(["after"], run.Lines);
    }

    [Fact]
    public async Task Notify_to_nobody_sends_nothing_and_goes_on()
    {
        var run = await ApprovalRun.StartAsync(Sequence(
            Node("notify", Notify.Type, ("to", Object(Json("""[{"type":"users","users":["retired.e2"]}]"""))), ("subject", Literal("x"))),
            WriteLine("after", "after")));

        Assert.Empty(run.Messages);
        Assert.Equal(["after"], run.Lines);
    }

    [Fact]
    public void The_registration_lists_the_activities_under_their_persisted_type_names()
    {
        var registry = ActivityRegistry.CreateDefault().AddRange(ActivitiesRegistration.All());

        Assert.Equal(["Workflows.Approval", "Workflows.Cc", "Workflows.Notify", "Workflows.Publicity"],
            ActivitiesRegistration.All().Select(a => a.TypeName).Order());
        Assert.True(registry.Contains("Elsa.Start"));
        Assert.Equal(["Approved", "Rejected", "Returned"], registry.Find("Workflows.Approval")!.Ports(null!));
    }

    [Fact]
    public void A_definition_with_approval_steps_validates_and_design_time_mistakes_are_reported()
    {
        var registry = ActivityRegistry.CreateDefault().AddRange(ActivitiesRegistration.All());
        var good = Chain(Step("s1", """[{"type":"initiatorPrincipal"}]""", Mode("Vote"), ("threshold", Literal(0.667, "Double"))));
        Assert.Empty(DefinitionValidator.Validate(good, registry).Problems);

        var bad = Chain(Step("s1", """[{"type":"manager"}]""", Mode("Majority"), ("timeoutAction", Literal("Escalate")),
            ("form", Object(Json("""{"fields":[{"name":"kind","type":"select"}]}""")))));
        var errors = DefinitionValidator.Validate(bad, registry).Errors.Select(e => e.Message).ToList();

        Assert.Contains(errors, e => e.Contains("'mode' must be one of Sequential, All, Any, Vote"));
        Assert.Contains(errors, e => e.Contains("unknown assignee rule type 'manager'"));
        Assert.Contains(errors, e => e.Contains("Escalate needs 'escalateTo'"));
        Assert.Contains(errors, e => e.Contains("select without 'options'"));
    }
}
