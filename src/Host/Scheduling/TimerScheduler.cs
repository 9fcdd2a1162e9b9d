using Hangfire;
using Workflows.Engine.Bookmarks;

namespace Workflows.Host.Scheduling;

/// <summary>Turns committed timers into Hangfire jobs. The timer rows stay the truth; a job is only a wake-up call.</summary>
public sealed class TimerScheduler(IBackgroundJobClient jobs, TimeProvider time, ILogger<TimerScheduler> logger)
{
    public void ScheduleAfterCommit(IEnumerable<Bookmark> dueBookmarks)
    {
        foreach (var bookmark in dueBookmarks) Schedule(bookmark.Id, bookmark.DueAt!.Value);
    }

    public void Schedule(string timerId, DateTimeOffset dueAt)
    {
        var delay = dueAt - time.GetUtcNow();
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
