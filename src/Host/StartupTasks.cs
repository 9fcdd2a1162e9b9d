using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Workflows.Host.Configuration;
using Workflows.Host.Definitions;
using Workflows.Host.Scheduling;
using Workflows.Persistence;

namespace Workflows.Host;

/// <summary>
/// Runs before the Host takes requests: migrate the database, load definitions/, and reschedule every
/// pending timer (an in-memory Hangfire forgot them with the previous process).
/// </summary>
public sealed class StartupTasks(IDbContextFactory<WorkflowsDbContext> contexts, DefinitionStore definitions, TimerPump pump,
    TimerScheduler scheduler, HangfireStorageKind storage, IOptions<WorkflowsOptions> options, IHostEnvironment environment,
    ILogger<StartupTasks> logger) : IHostedService
{
    public bool Ready { get; private set; }

    public async Task StartAsync(CancellationToken ct)
    {
        await PrepareDatabaseAsync(contexts, ct);
        if (options.Value.LoadDefinitionsOnStart)
        {
            var folder = Path.Combine(environment.ContentRootPath, options.Value.DefinitionsPath);
            foreach (var (file, result) in await definitions.LoadFolderAsync(folder, ct))
            {
                if (result.Record is null)
                    logger.LogError("Definition {File} was not loaded: {Problems}", Path.GetFileName(file), string.Join("; ", result.Report.Errors));
                else if (result.Created)
                    logger.LogInformation("Definition {Id} v{Version} loaded from {File}", result.Record.DefinitionId, result.Record.Version, Path.GetFileName(file));
            }
        }
        await pump.RescheduleAllAsync(releaseClaims: storage.IsInMemory, scheduler, ct);
        if (storage.IsInMemory)
        {
            // The send jobs of the previous process died with its in-memory Hangfire: its claims on outbox rows would keep
            // them back for Smtp:ClaimLease. An in-memory Hangfire means one Host per database, so every claim is a dead one.
            await using var db = await contexts.CreateDbContextAsync(ct);
            var released = await db.Outbox.Where(m => m.Status == Persistence.Entities.OutboxStatus.Pending && m.LockedBy != null)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedBy, (string?)null).SetProperty(m => m.LockedUntil, (DateTimeOffset?)null), ct);
            if (released > 0) logger.LogInformation("Released {Count} outbox row(s) claimed by the previous process", released);
        }
        Ready = true;
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>Migrations, then WAL on SQLite. The benchmarks prepare their databases with it too.</summary>
    internal static async Task PrepareDatabaseAsync(IDbContextFactory<WorkflowsDbContext> contexts, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await MigrateAsync(db, ct);
        if (db.Database.IsSqlite())
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct); // readers never block the writer
    }

    /// <summary>
    /// Several Hosts started at the same moment on one empty PostgreSQL each ran the migrations and collided ("column … already
    /// exists"). A session advisory lock makes them take turns: the first migrates, the others then find nothing to do.
    /// </summary>
    private static async Task MigrateAsync(WorkflowsDbContext db, CancellationToken ct)
    {
        if (db.Database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) != true)
        {
            await db.Database.MigrateAsync(ct);
            return;
        }
        const long lockKey = 0x576F726B666C6F77; // "Workflow"
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({lockKey})", ct);
            try { await db.Database.MigrateAsync(ct); }
            finally { await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({lockKey})", CancellationToken.None); }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
