using System.Text.Json.Nodes;
using Workflows.Activities.Approvals;
using Workflows.Activities.Publicities;
using Workflows.Activities.Tests.Approvals.Support;
using Workflows.Engine.Activities.Core;
using Workflows.Engine.Bookmarks;
using Workflows.Engine.Definitions;
using Workflows.Engine.Execution;
using static Workflows.Activities.Tests.Approvals.Support.Def;

namespace Workflows.Activities.Tests.Publicity;

/// <summary>Workflows.Publicity through the real engine: the window, objections, investigation tasks and the outcome.</summary>
public sealed class PublicityTests
{
    private static WorkflowDefinition Flow(int workingDays = 5, string nominees = """["teacher.e1","teacher.e2",{"id":"teacher.w1","name":"王老师"}]""") =>
        Def.Flow(
            [
                Node("start", "Elsa.Start"),
                Node("notice", Workflows.Activities.Publicities.Publicity.Type,
                    ("title", Literal("2026年交流轮岗拟交流人员公示")),
                    ("nominees", Object(Json(nominees))),
                    ("workingDays", Literal(workingDays, "Int32")),
                    ("accessCode", Literal("246810")),
                    ("approved", new JsonObject { ["typeName"] = "Object", ["memoryReference"] = new JsonObject { ["id"] = "approved" } }),
                    ("withdrawn", new JsonObject { ["typeName"] = "Object", ["memoryReference"] = new JsonObject { ["id"] = "withdrawn" } })),
                WriteLine("done", "done"),
            ],
            [Connection("start", "Done", "notice"), Connection("notice", "Done", "done")],
            [
                new JsonObject { ["id"] = "approved", ["name"] = "Approved", ["typeName"] = "Object" },
                new JsonObject { ["id"] = "withdrawn", ["name"] = "Withdrawn", ["typeName"] = "Object" },
            ]);

    private static Bookmark ObjectionBookmark(ApprovalRun run) => Assert.Single(run.State.Bookmarks, b => b.Kind == Workflows.Activities.Publicities.Publicity.ObjectionKind);

    private static JsonObject Objection(string nominee, string? userId = null, string? email = null, string? phone = null) => new()
    {
        ["objectorName"] = "刘群众", ["objectorUserId"] = userId, ["objectorEmail"] = email, ["objectorPhone"] = phone,
        ["nomineeId"] = nominee, ["facts"] = "该教师在本校任教不满六年，不符合交流条件。", ["attachments"] = new JsonArray("https://example.org/evidence.pdf"),
    };

    private static JsonObject Decide(string user, string action) =>
        ApprovalRun.Payload(user, action, "已核实", new JsonObject { ["finding"] = "经调阅人事档案核实" });

    [Fact]
    public async Task The_notice_is_published_for_five_working_days_and_waits_for_the_window_and_objections()
    {
        // Friday 2026-03-06 10:00 in China: 03-06, 09, 10, 11, 12 → the window ends at 2026-03-13 00:00.
        var run = await ApprovalRun.StartAsync(Flow(), start: ApprovalRun.At("2026-03-06 10:00"));

        Assert.Equal(WorkflowSubStatus.Suspended, run.SubStatus);
        var timer = Assert.Single(run.Timers);
        Assert.Equal(ApprovalRun.At("2026-03-13 00:00"), timer.DueAt);
        var objection = ObjectionBookmark(run);
        var notice = run.State.ActivityOutputs["notice"]["notice"]!.AsObject();
        Assert.Equal(notice["id"]!.ToString(), objection.Stimulus);
        Assert.Equal("inst-1", PublicityNotices.InstanceIdOf(objection.Stimulus));
        Assert.Equal("246810", notice["accessCode"]!.ToString());
        Assert.Equal(PublicityStatus.Open, notice["status"]!.ToString());
        Assert.Equal(3, notice["nominees"]!.AsArray().Count);
        Assert.NotNull(PublicityNotices.Find(run.State, objection.Stimulus!));
        Assert.Contains(run.Journal, j => j.Event == PublicityJournalEvents.Published);

        // Nobody objects: the notice closes by itself at the end of the window, everyone approved.
        await run.FireAsync(timer);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
        Assert.Equal(3, run.State.Variables["Approved"]!.AsArray().Count);
        Assert.Empty(run.State.Variables["Withdrawn"]!.AsArray());
        Assert.Equal(PublicityStatus.Closed, PublicityNotices.Find(run.State, objection.Stimulus!)!["status"]!.ToString());
    }

    [Fact]
    public async Task An_upheld_objection_withdraws_the_nominee_and_tells_the_objector()
    {
        var run = await ApprovalRun.StartAsync(Flow());
        await run.ResumeAsync(ObjectionBookmark(run), Objection("teacher.e2", userId: "teacher.e1b"));

        // The objection bookmark stays (same id) for more objections; each investigator got a task.
        Assert.Single(run.State.Bookmarks, b => b.Kind == Workflows.Activities.Publicities.Publicity.ObjectionKind);
        Assert.Equal(["hr.1", "hr.2"], run.Pending);
        var task = run.TaskOf("hr.1");
        Assert.Equal(Workflows.Activities.Publicities.Publicity.InvestigationStep, task.Payload!["stepName"]!.ToString());
        Assert.Equal(["approve", "reject"], task.Payload["actions"]!.AsArray().Select(a => a!.ToString()));
        Assert.Null(task.DueAt);
        Assert.Contains(run.Journal, j => j.Event == PublicityJournalEvents.ObjectionFiled);

        // A decision without the required finding is refused and changes nothing.
        await run.ResumeAsync(task, ApprovalRun.Payload("hr.1", "approve"));
        Assert.Equal(["hr.1", "hr.2"], run.Pending.Order());
        Assert.Contains(run.Journal, j => j.Event == ApprovalJournalEvents.TaskActionRefused);

        await run.ResumeAsync(run.TaskOf("hr.1"), Decide("hr.1", "approve"));
        Assert.Empty(run.Pending); // hr.2's task went with the decision
        Assert.Contains(run.Last.RemovedBookmarks, b => b.Stimulus == "hr.2");
        var notify = Assert.Single(run.MessagesOf(MessageKinds.Notify));
        Assert.Equal("teacher.e1b", notify.Data["userIds"]![0]!.ToString());
        Assert.Contains("异议成立", notify.Data["body"]!.ToString());
        Assert.Contains(run.Journal, j => j.Event == PublicityJournalEvents.NomineeWithdrawn);

        // A second objection against a withdrawn nominee is refused.
        await run.ResumeAsync(ObjectionBookmark(run), Objection("teacher.e2", email: "someone@example.org"));
        Assert.Contains(run.Journal, j => j.Event == PublicityJournalEvents.ObjectionRefused);
        Assert.Empty(run.Pending);

        await run.FireAsync(Assert.Single(run.Timers));
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
        Assert.Equal(["teacher.e1", "teacher.w1"], run.State.Variables["Approved"]!.AsArray().Select(PublicityNominees.IdOf));
        Assert.Equal(["teacher.e2"], run.State.Variables["Withdrawn"]!.AsArray().Select(PublicityNominees.IdOf));
    }

    [Fact]
    public async Task An_objection_open_at_the_end_of_the_window_keeps_the_notice_open_until_it_is_decided()
    {
        var run = await ApprovalRun.StartAsync(Flow());
        await run.ResumeAsync(ObjectionBookmark(run), Objection("teacher.w1", email: "objector@example.org"));
        await run.FireAsync(Assert.Single(run.Timers));

        Assert.Equal(WorkflowSubStatus.Suspended, run.SubStatus);
        Assert.DoesNotContain(run.State.Bookmarks, b => b.Kind == Workflows.Activities.Publicities.Publicity.ObjectionKind); // no more objections
        var notice = PublicityNotices.All(run.State).Single();
        Assert.Equal(PublicityStatus.Reviewing, notice["status"]!.ToString());

        await run.ResumeAsync(run.TaskOf("hr.2"), Decide("hr.2", "reject"));
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
        Assert.Equal(3, run.State.Variables["Approved"]!.AsArray().Count);
        var email = Assert.Single(run.MessagesOf(MessageKinds.Email));
        Assert.Equal("objector@example.org", email.Data["to"]!.ToString());
        Assert.Contains("异议不成立", email.Data["text"]!.ToString());
        Assert.Equal(["done"], run.Lines);
    }

    [Fact]
    public async Task A_bad_objection_is_refused_and_the_host_check_names_every_field()
    {
        var run = await ApprovalRun.StartAsync(Flow());
        var bookmark = ObjectionBookmark(run);
        var before = run.State.ToJson();
        var bad = new JsonObject { ["nomineeId"] = "stranger", ["facts"] = " ", ["objectorEmail"] = "not-an-email" };

        var errors = PublicityObjection.Validate(bad, ["teacher.e1"], []);
        Assert.Equal(["facts", "nomineeId", "objectorEmail", "objectorName"], errors.Keys.Order());
        Assert.Contains("objectorPhone", PublicityObjection.Validate(new JsonObject { ["objectorName"] = "甲", ["nomineeId"] = "teacher.e1", ["facts"] = "事实" }, ["teacher.e1"], []).Keys);

        await run.ResumeAsync(bookmark, bad);
        Assert.Empty(run.Pending);
        Assert.Equal(bookmark.Id, ObjectionBookmark(run).Id);
        Assert.Empty(run.Last.CreatedBookmarks);
        Assert.Empty(run.Last.RemovedBookmarks);
        Assert.Contains(run.Journal, j => j.Event == PublicityJournalEvents.ObjectionRefused);
        Assert.Equal(WorkflowState.FromJson(before).Bookmarks.Count, run.State.Bookmarks.Count);
    }

    [Fact]
    public async Task An_empty_list_closes_at_once_and_a_window_on_a_rest_day_opens_on_the_next_working_day()
    {
        var empty = await ApprovalRun.StartAsync(Flow(nominees: "[]"));
        Assert.Equal(WorkflowSubStatus.Finished, empty.SubStatus);

        // Saturday 2026-10-03 (National Day holiday): the window opens on 10-08 and counts 10-08, 09, 10 (调休上班), 12, 13.
        var calendar = CalendarFoldersLoad();
        var (start, end) = PublicityWindow.Compute(calendar, ApprovalRun.At("2026-10-03 15:00"), 5);
        Assert.Equal(ApprovalRun.At("2026-10-08 00:00"), start);
        Assert.Equal(ApprovalRun.At("2026-10-14 00:00"), end);
    }

    private static Workflows.Activities.Calendar.WorkingDayCalendar CalendarFoldersLoad() => Workflows.Activities.Tests.Calendar.CalendarFolders.LoadCommitted();
}
