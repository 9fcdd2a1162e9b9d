using System.Text.Json.Nodes;
using Workflows.Activities.Publicities;
using Workflows.Activities.Tests.Approvals.Support;
using Workflows.Activities.Tests.Calendar;
using Workflows.Engine.Activities;
using Workflows.Engine.Definitions;
using Workflows.Engine.Execution;
using Workflows.Engine.Validation;

namespace Workflows.Activities.Tests.Publicity;

/// <summary>
/// The committed definitions of the federation's processes (definitions/*.json), run through the real engine with the
/// test county: the per-teacher processes end to end; the two batches are driven through the Host's scenario tests.
/// </summary>
public sealed class ProcessDefinitionTests
{
    private static readonly string[] Files =
        ["summer-training", "rotation-nomination", "publicity", "sign-off", "shadow-training", "mentoring-pair"];

    private static WorkflowDefinition Load(string name) =>
        DefinitionReader.Parse(File.ReadAllText(Path.Combine(CalendarFolders.RepoRoot, "definitions", name + ".json")));

    [Fact]
    public void Every_process_definition_is_valid_and_named_in_Chinese_with_positions()
    {
        var registry = ActivityRegistry.CreateDefault().AddRange(ActivitiesRegistration.All());
        foreach (var file in Files)
        {
            var definition = Load(file);
            var report = DefinitionValidator.Validate(definition, registry);
            Assert.True(report.Succeeded, $"{file}: {string.Join("; ", report.Errors)}");
            Assert.Empty(report.Problems); // no warnings either
            Assert.Equal(file, definition.DefinitionId);
            Assert.Contains(definition.Name!, c => c >= '\u4e00' && c <= '\u9fff');
            Assert.False(string.IsNullOrWhiteSpace(definition.Description));
            // Every activity placed on a flowchart's canvas has its designer position.
            Assert.All(definition.AllActivities.Where(a => a.Parent?.Type == "Elsa.Flowchart" && a.PropertyName == "activities"),
                a => Assert.NotNull(a.Raw["metadata"]?["designer"]?["position"]));
        }
    }

    [Fact]
    public async Task Sign_off_a_refusal_goes_to_the_bureau_and_the_agreement_is_signed_again()
    {
        var run = await ApprovalRun.StartAsync(Load("sign-off"), initiator: "hr.1",
            input: new JsonObject { ["teacherId"] = "teacher.e1", ["toSchoolId"] = Org.SchE2 });

        await run.ApproveAsync("teacher.e1");
        await run.RejectAsync("principal.e1", "派出学校暂不同意");
        Assert.Equal(["hr.1", "hr.2"], run.Pending); // 拒签处理: the county's personnel office
        await run.ActAsync("hr.1", "approve", fields: new JsonObject { ["handling"] = "已协调，重新签约" });
        Assert.Equal(["teacher.e1"], run.Pending);
        await run.ApproveAsync("teacher.e1");
        await run.ApproveAsync("principal.e1");
        await run.ApproveAsync("principal.e2");

        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
        Assert.True((bool)run.State.Variables["Signed"]!);
        var told = Assert.Single(run.MessagesOf(MessageKinds.Notify));
        Assert.Equal(["teacher.e1", "principal.e1", "principal.e2", "hr.1"], told.Data["userIds"]!.AsArray().Select(u => u!.ToString()));
    }

    [Fact]
    public async Task Sign_off_cancelled_by_the_bureau_after_a_refusal()
    {
        var run = await ApprovalRun.StartAsync(Load("sign-off"), initiator: "hr.1",
            input: new JsonObject { ["teacherId"] = "teacher.e1", ["toSchoolId"] = Org.SchE2 });
        await run.RejectAsync("teacher.e1", "家庭原因");
        await run.ActAsync("hr.2", "reject", fields: new JsonObject { ["handling"] = "取消本次交流" });

        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
        Assert.False((bool)run.State.Variables["Signed"]!);
        Assert.Equal("交流轮岗已取消", Assert.Single(run.MessagesOf(MessageKinds.Notify)).Data["subject"]!.ToString());
    }

    [Fact]
    public async Task Publicity_definition_publishes_takes_an_objection_and_reports_the_result()
    {
        var run = await ApprovalRun.StartAsync(Load("publicity"), initiator: "hr.1", input: new JsonObject
        {
            ["title"] = "2026年骨干教师认定公示", ["nominees"] = "teacher.e1, teacher.e2", ["workingDays"] = 3,
        });
        var objection = Assert.Single(run.State.Bookmarks, b => b.Kind == Workflows.Activities.Publicities.Publicity.ObjectionKind);
        Assert.Equal(["teacher.e1", "teacher.e2"], Assert.Single(run.MessagesOf(MessageKinds.Notify)).Data["userIds"]!.AsArray().Select(u => u!.ToString()));

        await run.ResumeAsync(objection, new JsonObject
        {
            ["objectorName"] = "赵六", ["objectorPhone"] = "13800001111", ["nomineeId"] = "teacher.e2", ["facts"] = "材料不实",
        });
        await run.ActAsync("hr.2", "approve", fields: new JsonObject { ["finding"] = "属实" });
        Assert.Contains(run.Journal, j => j.Event == PublicityJournalEvents.ObjectorNotNotified); // a phone number only
        await run.FireAsync(Assert.Single(run.Timers));

        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
        Assert.Equal(["teacher.e1"], run.State.Variables["Approved"]!.AsArray().Select(PublicityNominees.IdOf));
        var result = run.MessagesOf(MessageKinds.Notify).Last();
        Assert.Equal(["hr.1"], result.Data["userIds"]!.AsArray().Select(u => u!.ToString()));
        Assert.Contains("撤销 1 人", result.Data["body"]!.ToString());
    }

    [Fact]
    public async Task Shadow_training_enrols_takes_a_log_each_month_and_ends_with_the_assessment()
    {
        var run = await ApprovalRun.StartAsync(Load("shadow-training"), initiator: "teacher.e2", input: new JsonObject
        {
            ["teacherId"] = "teacher.e2", ["hostSchoolId"] = Org.SchE1, ["mentorId"] = "teacher.e1", ["startDate"] = "2026-09-01", ["months"] = 2,
        }, start: ApprovalRun.At("2026-08-24 09:00"));
        await run.ApproveAsync("principal.e2");
        await run.ApproveAsync("principal.e1");

        foreach (var (month, due) in new[] { ("2026年9月", "2026-09-30 17:00"), ("2026年10月", "2026-10-31 17:00") })
        {
            var timer = Assert.Single(run.Timers);
            Assert.Equal(ApprovalRun.At(due), timer.DueAt);
            await run.FireAsync(timer);
            Assert.Equal($"跟岗日志：{month}", run.TaskOf("teacher.e2").Payload!["stepName"]!.ToString());
            await run.ActAsync("teacher.e2", "approve", fields: new JsonObject { ["logDays"] = 20, ["logText"] = "听课 12 节，上公开课 1 节" });
            await run.ApproveAsync("teacher.e1");
        }
        await run.ActAsync("principal.e1", "approve", fields: new JsonObject { ["result"] = "优秀" });

        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
        Assert.Equal(2, run.State.Variables["Logs"]!.AsObject().Count);
        Assert.Equal("优秀", run.State.Variables["Assessment"]!["result"]!.ToString());
    }

    [Fact]
    public async Task Mentoring_pair_is_approved_and_records_each_term_with_the_menteeʼs_confirmation()
    {
        var run = await ApprovalRun.StartAsync(Load("mentoring-pair"), initiator: "principal.e1", input: new JsonObject
        {
            ["mentorId"] = "teacher.e1", ["menteeId"] = "teacher.e1b",
            ["terms"] = new JsonArray(new JsonObject { ["label"] = "2026年秋季学期", ["end"] = "2027-01-20" }),
        }, start: ApprovalRun.At("2026-09-01 09:00"));
        await run.ApproveAsync("teacher.e1");
        await run.ApproveAsync("principal.e1");

        var timer = Assert.Single(run.Timers);
        Assert.Equal(ApprovalRun.At("2027-01-06 09:00"), timer.DueAt); // two weeks before the end of term
        await run.FireAsync(timer);
        await run.ActAsync("teacher.e1", "approve", fields: new JsonObject { ["sessions"] = 8, ["activities"] = "听课评课 8 次" });
        await run.RejectAsync("teacher.e1b", "次数不对");
        await run.ActAsync("teacher.e1", "approve", fields: new JsonObject { ["sessions"] = 6, ["activities"] = "听课评课 6 次" });
        await run.ApproveAsync("teacher.e1b");
        await run.ActAsync("principal.e1", "approve", fields: new JsonObject { ["rating"] = "合格" });

        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
        var record = run.State.Variables["Records"]!["2026年秋季学期"]!;
        Assert.Equal(6, (double)record["sessions"]!);
        Assert.Equal("合格", record["rating"]!.ToString());
    }
}
