using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Workflows.Host.Configuration;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Notifications;

/// <summary>
/// Delivers the email outbox. The database is the truth: every Smtp:PollInterval each Host claims a batch of due
/// rows (Pending, NextAttemptAt null or past, not locked by a live claim) with a conditional update of
/// LockedBy/LockedUntil, reads back which rows it got, and hands them to Hangfire as ONE
/// <see cref="OutboxJob.SendBatchAsync"/> (one SMTP connection per batch). A claim whose job never ran (an in-memory
/// Hangfire that died with its process, a Host killed while sending) runs out after Smtp:ClaimLease and the rows are claimed again.
/// </summary>
public sealed class OutboxPump(IDbContextFactory<WorkflowsDbContext> contexts, IBackgroundJobClient jobs, TimeProvider time,
    IOptions<SmtpOptions> options, ILogger<OutboxPump> logger) : BackgroundService
{
    /// <summary>The default of Smtp:ClaimLease: how long a claim keeps other Hosts off its rows; the job renews it while it sends.</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(10);
    private const int MaxBatchesPerScan = 20;
    private readonly string _host = $"{Environment.MachineName}:{Environment.ProcessId}";
    private long _scans;

    /// <summary>Scans the background loop has finished (tests wait for the first one before driving the pump themselves).</summary>
    public long CompletedScans => Interlocked.Read(ref _scans);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval);
        do
        {
            try { await ScanAsync(stoppingToken); }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Outbox scan failed; trying again at the next interval");
            }
            Interlocked.Increment(ref _scans);
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Claims due rows batch by batch and enqueues one send job per batch; returns how many rows.</summary>
    public async Task<int> ScanAsync(CancellationToken ct = default)
    {
        var total = 0;
        for (var i = 0; i < MaxBatchesPerScan; i++)
        {
            var ids = await ClaimBatchAsync(ct);
            if (ids.Count == 0) break;
            var batch = ids.Select(id => id.ToString()).ToArray();
            try
            {
                jobs.Enqueue<OutboxJob>(j => j.SendBatchAsync(batch, CancellationToken.None));
            }
            catch
            {
                await ReleaseAsync(ids); // let the next scan (of any Host) try again at once
                throw;
            }
            total += ids.Count;
            if (ids.Count < options.Value.BatchSize) break;
        }
        return total;
    }

    /// <summary>Claims up to Smtp:BatchSize due rows for this Host; returns the ids it got.</summary>
    internal async Task<IReadOnlyList<Guid>> ClaimBatchAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var due = await db.Outbox.AsNoTracking()
            .Where(m => m.Kind == OutboxMessage.KindEmail && m.Status == OutboxStatus.Pending
                && (m.NextAttemptAt == null || m.NextAttemptAt <= now)
                && (m.LockedUntil == null || m.LockedUntil < now))
            // Never-tried rows (NULL) first: PostgreSQL and SQLite disagree on where NULLs sort, so say it.
            .OrderBy(m => m.NextAttemptAt == null ? 0 : 1).ThenBy(m => m.NextAttemptAt).ThenBy(m => m.CreatedAt)
            .Select(m => m.Id).Take(options.Value.BatchSize).ToListAsync(ct);
        if (due.Count == 0) return [];

        // One conditional UPDATE; the WHERE is repeated so a row another Host claimed meanwhile is left to it.
        // The claim name is new each time, so reading it back gives exactly the rows this UPDATE took.
        var claim = $"pump:{_host}:{Guid.NewGuid():N}";
        var until = now + options.Value.ClaimLease;
        var claimed = await db.Outbox
            .Where(m => due.Contains(m.Id) && m.Status == OutboxStatus.Pending && (m.LockedUntil == null || m.LockedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedBy, claim).SetProperty(m => m.LockedUntil, until), ct);
        if (claimed == 0) return [];
        return await db.Outbox.AsNoTracking().Where(m => m.LockedBy == claim).Select(m => m.Id).ToListAsync(ct);
    }

    private async Task ReleaseAsync(IReadOnlyList<Guid> ids)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync();
            await db.Outbox.Where(m => ids.Contains(m.Id) && m.Status == OutboxStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedBy, (string?)null).SetProperty(m => m.LockedUntil, (DateTimeOffset?)null));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not release {Count} claimed outbox row(s); they are claimed again after {Lease}", ids.Count, options.Value.ClaimLease);
        }
    }
}
