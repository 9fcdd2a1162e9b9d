using System.Text.Json.Nodes;
using Workflows.Activities.Approvals;
using Workflows.Activities.Tests.Approvals.Support;
using Workflows.Engine.Bookmarks;
using Workflows.Engine.Execution;
using static Workflows.Activities.Tests.Approvals.Support.Def;

namespace Workflows.Activities.Tests.Approvals;

/// <summary>Due dates in working days (committed 2026 calendar), reminders and what happens at the due date.</summary>
public sealed class DueDateAndReminderTests
{
    private const string TwoPeople = """[{"type":"users","users":["principal.e1","hr.1"]}]""";

    private static (string, JsonNode?) Due(int workingDays) => ("dueInWorkingDays", Literal(workingDays, "Int32"));
    private static (string, JsonNode?) Reminders(string json) => ("reminders", Object(Json(json)));
    private static (string, JsonNode?) OnTimeout(string action) => ("timeoutAction", Literal(action));

    private static DateTimeOffset DueOf(Bookmark task) =>
        DateTimeOffset.Parse(task.Payload!["dueAt"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture);

    private static Task<ApprovalRun> Start(DateTimeOffset at, string mode, params (string, JsonNode?)[] inputs) =>
        ApprovalRun.StartAsync(Chain(Step("step", TwoPeople, [Mode(mode), .. inputs])), start: at);

    [Fact]
    public async Task Five_working_days_from_24_September_2026_are_due_on_9_October_after_Mid_Autumn_and_National_Day()
    {
        var run = await Start(ApprovalRun.At("2026-09-24 09:00"), "All", Due(5), Reminders("""{"beforeDueWorkingDays":1}"""));

        var due = ApprovalRun.At("2026-10-09 09:00");
        Assert.All(run.Tasks, t => Assert.Equal(due, DueOf(t)));
        Assert.Equal(due, run.Timer(Approval.PurposeTimeout).DueAt);
        // One working day before: Thursday 8 October (1–7 October are off).
        Assert.Equal(ApprovalRun.At("2026-10-08 09:00"), run.Timer(Approval.PurposeReminder).DueAt);
    }

    [Fact]
    public async Task Two_working_days_from_Friday_13_February_2026_are_the_worked_Saturday_and_the_Tuesday_after_Spring_Festival()
    {
        var run = await Start(ApprovalRun.At("2026-02-13 10:00"), "All", Due(2));

        Assert.Equal(ApprovalRun.At("2026-02-24 10:00"), DueOf(run.TaskOf("principal.e1")));
        Assert.Equal(ApprovalRun.At("2026-02-24 10:00"), run.Timer(Approval.PurposeTimeout).DueAt);
    }

    [Fact]
    public async Task Without_dueInWorkingDays_a_task_has_no_due_date_and_the_step_no_timer()
    {
        var run = await Start(ApprovalRun.Monday, "All");

        Assert.Null(run.TaskOf("principal.e1").Payload!["dueAt"]);
        Assert.Empty(run.Timers);
        Assert.Empty(run.Last.DueBookmarks);
    }

    [Fact]
    public async Task A_reminder_goes_to_whoever_is_still_pending_and_schedules_the_next_one_until_the_due_date()
    {
        // Monday 2 March 2026; due Monday 9 March; first reminder two working days before, then daily.
        var run = await Start(ApprovalRun.Monday, "All", Due(5), Reminders("""{"beforeDueWorkingDays":2,"everyWorkingDays":1}"""));
        var reminder = run.Timer(Approval.PurposeReminder);
        Assert.Equal(ApprovalRun.At("2026-03-05 09:00"), reminder.DueAt);
        Assert.Equal("Timer", reminder.Kind);
        Assert.Contains(run.Last.DueBookmarks, b => b.Id == reminder.Id);
        run.Time.Advance(TimeSpan.FromDays(1));
        await run.ApproveAsync("principal.e1");

        await run.FireAsync(reminder);

        var message = Assert.Single(run.Last.Messages);
        Assert.Equal(MessageKinds.TaskReminder, message.Kind);
        Assert.Equal("step", message.ActivityId);
        Assert.Equal(["hr.1"], message.Data["userIds"]!.AsArray().Select(u => u!.ToString()));
        Assert.Equal("step step", message.Data["stepName"]!.ToString());
        Assert.Equal(ApprovalRun.At("2026-03-09 09:00"),
            DateTimeOffset.Parse(message.Data["dueAt"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(message.Data["overdue"]!.GetValue<bool>());
        var next = run.Timer(Approval.PurposeReminder);
        Assert.Equal(ApprovalRun.At("2026-03-06 09:00"), next.DueAt);
        Assert.Equal(["hr.1"], run.Pending);

        // Friday's reminder is the last: the next working day is the due date, which has its own timer.
        await run.FireAsync(next);
        Assert.Equal(MessageKinds.TaskReminder, Assert.Single(run.Last.Messages).Kind);
        Assert.Equal(Approval.PurposeTimeout, Assert.Single(run.Timers).Payload!["purpose"]!.ToString());
    }

    [Fact]
    public async Task Reminders_every_working_day_without_a_due_date_go_on_until_the_step_completes()
    {
        var run = await Start(ApprovalRun.At("2026-09-30 09:00"), "All", Reminders("""{"everyWorkingDays":1}"""));
        Assert.Equal(ApprovalRun.At("2026-10-08 09:00"), run.Timer(Approval.PurposeReminder).DueAt);

        await run.FireAsync(run.Timer(Approval.PurposeReminder));
        Assert.Equal(ApprovalRun.At("2026-10-09 09:00"), run.Timer(Approval.PurposeReminder).DueAt);

        await run.ApproveAsync("principal.e1");
        await run.ApproveAsync("hr.1");
        Assert.Empty(run.Timers);
        Assert.Equal(["step:Approved"], run.Lines);
    }

    [Fact]
    public async Task At_the_due_date_Remind_sends_an_overdue_reminder_and_keeps_reminding_every_working_day()
    {
        var run = await Start(ApprovalRun.Monday, "All", Due(2));
        var timeout = run.Timer(Approval.PurposeTimeout);
        Assert.Equal(ApprovalRun.At("2026-03-04 09:00"), timeout.DueAt);

        await run.FireAsync(timeout);

        var message = Assert.Single(run.Last.Messages);
        Assert.Equal(MessageKinds.TaskReminder, message.Kind);
        Assert.True(message.Data["overdue"]!.GetValue<bool>());
        Assert.Equal(["principal.e1", "hr.1"], message.Data["userIds"]!.AsArray().Select(u => u!.ToString()));
        Assert.Equal(ApprovalRun.At("2026-03-05 09:00"), run.Timer(Approval.PurposeReminder).DueAt);
        Assert.Equal(["principal.e1", "hr.1"], run.Pending);
    }

    [Fact]
    public async Task At_the_due_date_Approve_approves_the_step()
    {
        var run = await Start(ApprovalRun.Monday, "All", Due(2), OnTimeout("Approve"), Reminders("""{"everyWorkingDays":1}"""));

        await run.FireAsync(run.Timer(Approval.PurposeTimeout));

        Assert.Equal(["step:Approved"], run.Lines);
        Assert.Empty(run.State.Bookmarks);
        var decision = Assert.Single(run.Decisions("step"))!;
        Assert.Equal(Approval.SystemUser, decision["userId"]!.ToString());
        Assert.Equal("timeoutApprove", decision["action"]!.ToString());
    }

    [Fact]
    public async Task At_the_due_date_Reject_rejects_the_step()
    {
        var run = await Start(ApprovalRun.Monday, "All", Due(2), OnTimeout("Reject"));
        await run.ApproveAsync("principal.e1");

        await run.FireAsync(run.Timer(Approval.PurposeTimeout));

        Assert.Equal(["step:Rejected"], run.Lines);
        Assert.Empty(run.State.Bookmarks);
    }

    [Fact]
    public async Task At_the_due_date_Escalate_hands_the_pending_task_to_the_federation_lead()
    {
        var run = await Start(ApprovalRun.Monday, "Sequential", Due(2), OnTimeout("Escalate"),
            ("escalateTo", Object(Json("""{"type":"role","role":"Lead","scope":"initiatorFederation"}"""))));
        var overdue = run.TaskOf("principal.e1");

        await run.FireAsync(run.Timer(Approval.PurposeTimeout));

        Assert.Equal(["lead.east"], run.Pending);
        var escalated = run.TaskOf("lead.east");
        Assert.Equal("principal.e1", escalated.Payload!["delegatedFrom"]!.ToString());
        Assert.Contains(run.Last.RemovedBookmarks, b => b.Id == overdue.Id);
        Assert.Contains(run.Last.CreatedBookmarks, b => b.Id == escalated.Id);
        Assert.Contains(run.Last.Journal, j => j.Event == ApprovalJournalEvents.TaskEscalated && j.Summary == "principal.e1 → lead.east");
        Assert.Empty(run.Timers);

        // The lead decides in the principal's place; the next person in the sequence follows.
        await run.ApproveAsync("lead.east");
        Assert.Equal(["hr.1"], run.Pending);
    }
}
