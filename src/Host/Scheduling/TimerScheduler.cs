using Hangfire;
using Microsoft.Extensions.Options;
using Workflows.Engine.Bookmarks;
using Workflows.Host.Configuration;

namespace Workflows.Host.Scheduling;

/// <summary>
/// Turns committed timers due soon into Hangfire jobs. The timer rows stay the truth; a job is only a wake-up call.
/// A timer due later than Workflows:TimerScheduleAhead gets no job of its own: the timer pumps find it when it is due
/// and fire it in a batch (one Hangfire job per Workflows:TimerBatchSize timers), which is what keeps a burst of
/// reminders from costing one Hangfire job each.
/// </summary>
public sealed class TimerScheduler(IBackgroundJobClient jobs, TimeProvider time, IOptions<WorkflowsOptions> options, ILogger<TimerScheduler> logger)
{
    public void ScheduleAfterCommit(IEnumerable<Bookmark> dueBookmarks)
    {
        foreach (var bookmark in dueBookmarks) Schedule(bookmark.Id, bookmark.DueAt!.Value);
    }

    public void Schedule(string timerId, DateTimeOffset dueAt)
    {
        var delay = dueAt - time.GetUtcNow();
        if (delay > options.Value.TimerScheduleAhead) return; // the pumps fire it when it is due
        try
        {
            if (delay <= TimeSpan.Zero) jobs.Enqueue<TimerJob>(j => j.FireAsync(timerId));
            else jobs.Schedule<TimerJob>(j => j.FireAsync(timerId), delay);
        }
        catch (Exception ex)
        {
            // The commit already happened; the timer pump will pick this timer up when it is due.
            logger.LogWarning(ex, "Could not schedule timer {Timer}; the pump will fire it", timerId);
        }
    }
}
