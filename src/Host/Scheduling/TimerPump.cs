using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Workflows.Host.Configuration;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Scheduling;

/// <summary>
/// Looks for timers that are due by our clock but were not fired: jobs lost with an in-memory Hangfire,
/// a clock moved forward (tests), a failed schedule. Each due timer is claimed by one Host with a
/// conditional update, then handed to Hangfire.
/// </summary>
public sealed class TimerPump(IDbContextFactory<WorkflowsDbContext> contexts, IBackgroundJobClient jobs, TimeProvider time,
    IOptions<WorkflowsOptions> options, ILogger<TimerPump> logger) : BackgroundService
{
    private readonly string _host = $"{Environment.MachineName}:{Environment.ProcessId}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.TimerPollInterval);
        do
        {
            try { await ScanAsync(stoppingToken); }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Timer scan failed; trying again at the next interval");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Hands every due, unclaimed timer to Hangfire; returns how many.</summary>
    public async Task<int> ScanAsync(CancellationToken ct = default)
    {
        // Timers due only just now are left to their own delayed job for a moment.
        var cutoff = time.GetUtcNow() - options.Value.TimerPollInterval;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var due = await db.Timers.AsNoTracking()
            .Where(t => t.Status == TimerStatus.Pending && t.ScheduledJobId == null && t.DueAt <= cutoff)
            .OrderBy(t => t.DueAt).Select(t => t.Id).Take(500).ToListAsync(ct);
        var count = 0;
        foreach (var id in due)
        {
            var claim = $"pump:{_host}";
            var claimed = await db.Timers.Where(t => t.Id == id && t.ScheduledJobId == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.ScheduledJobId, claim), ct);
            if (claimed == 0) continue; // another Host took it
            jobs.Enqueue<TimerJob>(j => j.FireAsync(id));
            count++;
        }
        return count;
    }

    /// <summary>
    /// On start with an in-memory Hangfire every job of the previous process is gone: release the claims
    /// and schedule every pending timer again.
    /// </summary>
    public async Task RescheduleAllAsync(bool releaseClaims, TimerScheduler scheduler, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (releaseClaims)
            await db.Timers.Where(t => t.Status == TimerStatus.Pending && t.ScheduledJobId != null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.ScheduledJobId, (string?)null), ct);
        var pending = await db.Timers.AsNoTracking().Where(t => t.Status == TimerStatus.Pending)
            .Select(t => new { t.Id, t.DueAt }).ToListAsync(ct);
        foreach (var t in pending) scheduler.Schedule(t.Id, t.DueAt);
        if (pending.Count > 0) logger.LogInformation("Rescheduled {Count} pending timer(s)", pending.Count);
    }
}
