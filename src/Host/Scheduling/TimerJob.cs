using Hangfire;
using Microsoft.EntityFrameworkCore;
using Workflows.Engine.Execution;
using Workflows.Host.Runtime;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Scheduling;

/// <summary>
/// Fires one timer (<see cref="FireAsync"/>) or a batch claimed by a timer pump (<see cref="FireBatchAsync"/>). Safe to run any number of times: a timer that is not pending (fired, cancelled) or
/// not yet due by our clock is left alone, and the instance's concurrency token lets only one firing commit.
/// </summary>
public sealed class TimerJob(IDbContextFactory<WorkflowsDbContext> contexts, WorkflowRuntime runtime, WorkflowEngine engine,
    TimeProvider time, ILogger<TimerJob> logger)
{
    [AutomaticRetry(Attempts = 5)]
    public async Task FireAsync(string timerId)
    {
        TimerRecord? timer;
        await using (var db = await contexts.CreateDbContextAsync())
            timer = await db.Timers.AsNoTracking().SingleOrDefaultAsync(t => t.Id == timerId);
        if (timer is not null) await FireOneAsync(timer);
    }

    /// <summary>
    /// Fires each timer of a pump's batch in its own runtime transaction, as <see cref="FireAsync"/> does, so one failing
    /// timer does not undo the others. If any failed, the job fails after trying them all and Hangfire retries it; the
    /// timers fired already are then left alone (not pending any more).
    /// </summary>
    [AutomaticRetry(Attempts = 5)]
    public async Task FireBatchAsync(string[] timerIds)
    {
        // The batch's timer rows in one query, not one per timer.
        List<TimerRecord> timers;
        await using (var db = await contexts.CreateDbContextAsync())
            timers = await db.Timers.AsNoTracking().Where(t => timerIds.Contains(t.Id)).ToListAsync();
        List<Exception>? failures = null;
        foreach (var timer in timers.OrderBy(t => Array.IndexOf(timerIds, t.Id)))
        {
            try { await FireOneAsync(timer); }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Timer {Timer} of a batch of {Count} failed; the batch will be retried", timer.Id, timerIds.Length);
                (failures ??= []).Add(ex);
            }
        }
        if (failures is not null) throw new AggregateException($"{failures.Count} of {timerIds.Length} timers failed", failures);
    }

    private async Task FireOneAsync(TimerRecord timer)
    {
        var timerId = timer.Id;
        if (timer.Status != TimerStatus.Pending || timer.DueAt > time.GetUtcNow()) return;

        try
        {
            await runtime.ChangeAsync(timer.InstanceId, new Actor("timer"), async (definition, state) =>
            {
                if (state.Bookmarks.All(b => b.Id != timer.BookmarkId))
                    throw RuntimeException.Conflict("定时器的等待点已不存在 / The timer's bookmark is gone.");
                return await engine.ResumeAsync(definition, state, timer.BookmarkId);
            }, CancellationToken.None, new RunContext(new Actor("timer"), FiredBookmarkId: timer.BookmarkId));
        }
        catch (RuntimeException ex) when (ex.Status is 404 or 409)
        {
            await using var db = await contexts.CreateDbContextAsync();
            if (ex.Status == 409 && await db.Bookmarks.AnyAsync(b => b.Id == timer.BookmarkId))
            {
                // The instance was too busy (many timers of one instance due at once lost every concurrency retry):
                // the bookmark still waits, so release the claim and let the pump fire it again.
                logger.LogDebug("Timer {Timer} not fired yet, its instance is busy: {Reason}", timerId, ex.Message);
                await db.Timers.Where(t => t.Id == timerId && t.Status == TimerStatus.Pending)
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.ScheduledJobId, (string?)null));
                return;
            }
            // The instance moved on (cancelled, resumed otherwise): this timer will never fire.
            logger.LogDebug("Timer {Timer} not fired: {Reason}", timerId, ex.Message);
            await db.Timers.Where(t => t.Id == timerId && t.Status == TimerStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TimerStatus.Cancelled));
        }
    }
}
