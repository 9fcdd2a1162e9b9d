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
    // Fits the 100-character column together with the claim time (see Claim).
    private readonly string _host = $"{Environment.MachineName[..Math.Min(40, Environment.MachineName.Length)]}:{Environment.ProcessId}";

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

    /// <summary>Hands every due, unclaimed timer (or one whose claim ran out) to Hangfire; returns how many.</summary>
    public async Task<int> ScanAsync(CancellationToken ct = default)
    {
        // Timers due only just now are left to their own delayed job for a moment.
        var now = time.GetUtcNow();
        var cutoff = now - options.Value.TimerPollInterval;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var due = await db.Timers.AsNoTracking()
            .Where(t => t.Status == TimerStatus.Pending && t.ScheduledJobId == null && t.DueAt <= cutoff)
            .OrderBy(t => t.DueAt).Select(t => new { t.Id, t.ScheduledJobId }).Take(500).ToListAsync(ct);
        // A claim is only a promise that this Host's job will fire the timer soon. Its Host may die before the job ran
        // (SIGKILL, a lost in-memory Hangfire) or the job may give up: such claims run out after Workflows:TimerClaimLease
        // and are claimed again here. Few timers are claimed at any moment, so they are checked in memory.
        var claimed = await db.Timers.AsNoTracking()
            .Where(t => t.Status == TimerStatus.Pending && t.ScheduledJobId != null && t.DueAt <= cutoff)
            .OrderBy(t => t.DueAt).Select(t => new { t.Id, t.ScheduledJobId }).Take(500).ToListAsync(ct);
        var expired = claimed.Where(t => ClaimedAt(t.ScheduledJobId!) is not { } at || now - at >= options.Value.TimerClaimLease);
        var count = 0;
        foreach (var t in due.Concat(expired))
        {
            var claim = Claim(now);
            var previous = t.ScheduledJobId;
            // Compare-and-set on the claim seen: of several Hosts only one takes the timer.
            var taken = await db.Timers.Where(x => x.Id == t.Id && x.Status == TimerStatus.Pending && x.ScheduledJobId == previous)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.ScheduledJobId, claim), ct);
            if (taken == 0) continue; // another Host took it
            var id = t.Id;
            try
            {
                jobs.Enqueue<TimerJob>(j => j.FireAsync(id));
            }
            catch
            {
                // Let the next scan (of any Host) take it at once.
                await db.Timers.Where(x => x.Id == id && x.ScheduledJobId == claim)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.ScheduledJobId, (string?)null), CancellationToken.None);
                throw;
            }
            if (previous is not null) logger.LogInformation("Timer {Timer}: claim {Claim} ran out; fired again by this Host", id, previous);
            count++;
        }
        return count;
    }

    /// <summary>"pump:{machine}:{pid}:{unix seconds}": who claimed the timer and when.</summary>
    private string Claim(DateTimeOffset now) => $"pump:{_host}:{now.ToUnixTimeSeconds()}";

    /// <summary>When a pump claim was made; null for anything else (an older claim without a time: treated as run out).</summary>
    internal static DateTimeOffset? ClaimedAt(string claim)
    {
        if (!claim.StartsWith("pump:", StringComparison.Ordinal)) return null;
        var last = claim[(claim.LastIndexOf(':') + 1)..];
        return long.TryParse(last, out var seconds) && claim.Count(c => c == ':') >= 3 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
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
