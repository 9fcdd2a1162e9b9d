using Workflows.Activities.Calendar;
using Workflows.Engine.Execution;

namespace Workflows.Activities.Approvals;

/// <summary>Due dates and reminder times of an approval step, in working days as seen in China Standard Time.</summary>
internal static class ApprovalSchedule
{
    // Without a registered calendar, Monday–Friday is all we know.
    private static readonly Lazy<WorkingDayCalendar> WeekdaysOnly = new(() => new WorkingDayCalendar([]));

    public static WorkingDayCalendar CalendarOf(ActivityExecutionContext context) =>
        context.Services?.GetService(typeof(WorkingDayCalendar)) as WorkingDayCalendar ?? WeekdaysOnly.Value;

    public static DateTimeOffset Add(WorkingDayCalendar calendar, DateTimeOffset at, int workingDays) =>
        calendar.AddWorkingDays(at, workingDays, ChinaStandardTime.Zone);

    /// <summary>
    /// The first reminder: "beforeDueWorkingDays" before the due date when that is still ahead, otherwise
    /// "everyWorkingDays" from now (only while that is before the due date, which has its own timer).
    /// </summary>
    public static DateTimeOffset? FirstReminder(WorkingDayCalendar calendar, DateTimeOffset now, ApprovalStepState step)
    {
        if (step is { DueAt: { } due, RemindBefore: > 0 })
        {
            var before = Add(calendar, due, -step.RemindBefore.Value);
            if (before > now && before < due) return before;
        }
        return NextReminder(calendar, now, step);
    }

    /// <summary>The reminder after one at <paramref name="last"/>: "everyWorkingDays" later; before the due date
    /// unless the step is already overdue (then reminders go on until someone acts).</summary>
    public static DateTimeOffset? NextReminder(WorkingDayCalendar calendar, DateTimeOffset last, ApprovalStepState step)
    {
        if (step.RemindEvery is not > 0) return null;
        var next = Add(calendar, last, step.RemindEvery.Value);
        if (!step.Overdue && step.DueAt is { } due && next >= due) return null;
        return next;
    }
}
