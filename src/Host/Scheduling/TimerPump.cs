using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Workflows.Host.Configuration;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Scheduling;

/// <summary>
/// Looks for timers that are due by our clock but were not fired: jobs lost with an in-memory Hangfire,
/// a clock moved forward (tests), a failed schedule, and every timer due later than Workflows:TimerScheduleAhead when
/// it was committed (those get no job of their own). Due timers are claimed in batches by one Host with a conditional
/// update, then handed to Hangfire as one job per batch.
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

    /// <summary>
    /// Hands due, unclaimed timers (and those whose claim ran out) to Hangfire in batches of Workflows:TimerBatchSize:
    /// one conditional update claims a batch, one job (<see cref="TimerJob.FireBatchAsync"/>) fires it. Returns how many
    /// timers were handed over.
    /// </summary>
    public async Task<int> ScanAsync(CancellationToken ct = default)
    {
        // Timers due only just now are left to their own delayed job (if they have one) for a moment.
        var now = time.GetUtcNow();
        var cutoff = now - options.Value.TimerPollInterval;
        var batchSize = Math.Max(1, options.Value.TimerBatchSize);
        // At most this many timers are claimed and not yet fired (by all Hosts) after a scan: a burst is handed to Hangfire
        // about as fast as it fires, so claims do not wait in Hangfire's queue until their lease runs out.
        var limit = batchSize * 10;
        await using var db = await contexts.CreateDbContextAsync(ct);
        // A claim is only a promise that this Host's job will fire the timer soon. Its Host may die before the job ran
        // (SIGKILL, a lost in-memory Hangfire) or the job may give up: such claims run out after Workflows:TimerClaimLease
        // and are claimed again here.
        var claimed = await db.Timers.AsNoTracking()
            .Where(t => t.Status == TimerStatus.Pending && t.ScheduledJobId != null && t.DueAt <= cutoff)
            .OrderBy(t => t.DueAt).Select(t => new { t.Id, t.ScheduledJobId }).Take(limit).ToListAsync(ct);
        var expired = claimed.Where(t => ClaimedAt(t.ScheduledJobId!) is not { } at || now - at >= options.Value.TimerClaimLease).ToList();
        var room = limit - (claimed.Count - expired.Count);
        var due = room <= 0 ? [] : await db.Timers.AsNoTracking()
            .Where(t => t.Status == TimerStatus.Pending && t.ScheduledJobId == null && t.DueAt <= cutoff)
            .OrderBy(t => t.DueAt).Select(t => t.Id).Take(room).ToListAsync(ct);
        var count = 0;
        foreach (var batch in due.Chunk(batchSize))
        {
            var claim = Claim(now);
            // Compare-and-set on "unclaimed": of several Hosts only one takes each timer.
            await db.Timers.Where(x => batch.Contains(x.Id) && x.Status == TimerStatus.Pending && x.ScheduledJobId == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.ScheduledJobId, claim), ct);
            count += await EnqueueAsync(db, batch, claim);
        }
        foreach (var batch in expired.Chunk(batchSize))
        {
            var claim = Claim(now);
            // Compare-and-set on the claim seen, timer by timer (claims run out rarely).
            foreach (var t in batch)
                await db.Timers.Where(x => x.Id == t.Id && x.Status == TimerStatus.Pending && x.ScheduledJobId == t.ScheduledJobId)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.ScheduledJobId, claim), ct);
            var taken = await EnqueueAsync(db, [.. batch.Select(t => t.Id)], claim);
            if (taken > 0) logger.LogInformation("{Count} timer(s) whose claim ran out fired again by this Host ({Claims})", taken,
                string.Join(", ", batch.Select(t => $"{t.Id}: {t.ScheduledJobId}")));
            count += taken;
        }
        return count;
    }

    /// <summary>Enqueues one job for the timers of <paramref name="ids"/> this claim took; returns how many.</summary>
    private async Task<int> EnqueueAsync(WorkflowsDbContext db, string[] ids, string claim)
    {
        var taken = await db.Timers.AsNoTracking().Where(x => ids.Contains(x.Id) && x.ScheduledJobId == claim)
            .Select(x => x.Id).ToArrayAsync(CancellationToken.None);
        if (taken.Length == 0) return 0; // other Hosts took them
        try
        {
            jobs.Enqueue<TimerJob>(j => j.FireBatchAsync(taken));
        }
        catch
        {
            // Let the next scan (of any Host) take them at once.
            await db.Timers.Where(x => ids.Contains(x.Id) && x.ScheduledJobId == claim)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.ScheduledJobId, (string?)null), CancellationToken.None);
            throw;
        }
        return taken.Length;
    }

    /// <summary>"pump:{machine}:{pid}:{batch}:{unix seconds}": who claimed the timer and when; one claim per batch.</summary>
    private string Claim(DateTimeOffset now) => $"pump:{_host}:{Interlocked.Increment(ref _batches)}:{now.ToUnixTimeSeconds()}";

    private long _batches;

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
