using Microsoft.EntityFrameworkCore;
using Workflows.Engine.Definitions;
using Workflows.Engine.Execution;

namespace Workflows.Host.Runtime;

public sealed partial class WorkflowRuntime
{
    /// <summary>
    /// Loads the instance, applies <paramref name="change"/> and commits in one transaction. The instance row is locked
    /// first (FOR UPDATE on PostgreSQL, UPDLOCK on SQL Server, the write lock on SQLite), so callers of one instance queue
    /// instead of wasting runs; the concurrency token stays as the guard, and a conflict reloads and applies the change again.
    /// </summary>
    internal async Task<RunOutcome> ChangeAsync(string instanceId, Actor actor,
        Func<WorkflowDefinition, WorkflowState, ValueTask<RunResult>> change, CancellationToken ct, RunContext? context = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            db.Database.AutoSavepointsEnabled = false; // the whole transaction rolls back on failure anyway
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var record = await LoadLockedAsync(db, instanceId, ct)
                ?? throw RuntimeException.NotFound($"Instance '{instanceId}' does not exist.");
            var state = WorkflowState.FromJson(record.StateJson);
            var definition = await definitions.GetAsync(state.DefinitionId, state.DefinitionVersion, ct)
                ?? throw RuntimeException.Conflict($"Definition '{state.DefinitionId}' v{state.DefinitionVersion} of this instance is missing.");
            var result = await change(definition, state);
            try
            {
                await writer.UpdateAsync(db, record, result, context ?? new RunContext(actor), ct);
                await tx.CommitAsync(ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < options.Value.MaxConcurrencyRetries)
            {
                await tx.RollbackAsync(CancellationToken.None);
                logger.LogDebug("Instance {Instance} changed under us; retrying ({Attempt})", instanceId, attempt + 1);
                continue;
            }
            catch (DbUpdateConcurrencyException)
            {
                throw RuntimeException.Conflict($"Instance {instanceId} is being changed by someone else; try again.");
            }
            writer.AfterCommit(result);
            return new RunOutcome(instanceId, result);
        }
    }

    // SQLite's load (no lock hint) as a compiled query: the resume path skips EF's query-cache lookup of a LINQ query.
    // Not tracked: InstanceWriter writes the row itself (or attaches it, on providers it has no SQL for).
    private static readonly Func<Persistence.WorkflowsDbContext, string, Task<Persistence.Entities.InstanceRecord?>> LoadById =
        EF.CompileAsyncQuery((Persistence.WorkflowsDbContext db, string id) => db.Instances.AsNoTracking().SingleOrDefault(i => i.Id == id));

    private static Task<Persistence.Entities.InstanceRecord?> LoadLockedAsync(Persistence.WorkflowsDbContext db, string instanceId, CancellationToken ct) =>
        db.Database.IsSqlite() ? LoadById(db, instanceId) : LockAndLoad(db, instanceId).AsNoTracking().SingleOrDefaultAsync(ct);

    // SQLite needs no lock hint: BeginTransaction there is BEGIN IMMEDIATE, which already holds the database's write lock.
    private static IQueryable<Persistence.Entities.InstanceRecord> LockAndLoad(Persistence.WorkflowsDbContext db, string instanceId)
    {
        var provider = db.Database.ProviderName ?? "";
        if (provider.Contains("Npgsql", StringComparison.Ordinal))
            return db.Instances.FromSqlInterpolated($"SELECT * FROM instances WHERE id = {instanceId} FOR UPDATE");
        if (provider.Contains("SqlServer", StringComparison.Ordinal))
            return db.Instances.FromSqlInterpolated($"SELECT * FROM instances WITH (UPDLOCK, ROWLOCK) WHERE id = {instanceId}");
        return db.Instances.Where(i => i.Id == instanceId);
    }
}
