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
                ?? throw RuntimeException.NotFound($"流程实例“{instanceId}”不存在 / Instance '{instanceId}' does not exist.");
            var state = WorkflowState.FromJson(record.StateJson);
            var definition = await definitions.GetAsync(state.DefinitionId, state.DefinitionVersion, ct)
                ?? throw RuntimeException.Conflict($"该实例所用的流程“{state.DefinitionId}”第 {state.DefinitionVersion} 版已不存在 / Definition '{state.DefinitionId}' v{state.DefinitionVersion} of this instance is missing.");
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
                throw RuntimeException.Conflict($"其他人正在处理该流程实例，请稍后重试 / Instance {instanceId} is being changed by someone else; try again.");
            }
            writer.AfterCommit(result);
            return new RunOutcome(instanceId, result);
        }
    }

    // Not tracked: InstanceWriter writes the row itself (or attaches it, on providers it has no SQL for).
    private static Task<Persistence.Entities.InstanceRecord?> LoadLockedAsync(Persistence.WorkflowsDbContext db, string instanceId, CancellationToken ct) =>
        InstanceWriter.DialectOf(db) switch
        {
            InstanceWriter.SqlDialect.Sqlite => LoadRawAsync(db, instanceId, sqlite: true, ct),
            InstanceWriter.SqlDialect.PostgreSql => LoadRawAsync(db, instanceId, sqlite: false, ct),
            _ => LockAndLoad(db, instanceId).AsNoTracking().SingleOrDefaultAsync(ct),
        };

    /// <summary>
    /// The load of SQLite and PostgreSQL as a plain command on EF's connection (EF cannot compile PostgreSQL's FromSql
    /// query, and its query pipeline and materializer cost more than the row's few columns): only the columns that
    /// InstanceWriter compares or needs. SQLite stores times as UTC ticks (UtcTicksDateTimeOffsetConverter).
    /// </summary>
    private static async Task<Persistence.Entities.InstanceRecord?> LoadRawAsync(Persistence.WorkflowsDbContext db, string instanceId, bool sqlite, CancellationToken ct)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = Microsoft.EntityFrameworkCore.Storage.DbContextTransactionExtensions.GetDbTransaction(db.Database.CurrentTransaction!);
        command.CommandText = "SELECT id, definition_id, definition_version, status, sub_status, correlation_id, state_json, updated_at, " +
            "finished_at, incident_count, version FROM instances WHERE id = @id" + (sqlite ? "" : " FOR UPDATE");
        var p = command.CreateParameter();
        p.ParameterName = "@id";
        p.Value = instanceId;
        command.Parameters.Add(p);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        DateTimeOffset Time(int i) => sqlite ? new DateTimeOffset(reader.GetInt64(i), TimeSpan.Zero) : reader.GetFieldValue<DateTimeOffset>(i);
        return new Persistence.Entities.InstanceRecord
        {
            Id = reader.GetString(0),
            DefinitionId = reader.GetString(1),
            DefinitionVersion = reader.GetInt32(2),
            Status = reader.GetString(3),
            SubStatus = reader.GetString(4),
            CorrelationId = reader.IsDBNull(5) ? null : reader.GetString(5),
            StateJson = reader.GetString(6),
            UpdatedAt = Time(7),
            FinishedAt = reader.IsDBNull(8) ? null : Time(8),
            IncidentCount = reader.GetInt32(9),
            Version = reader.GetInt32(10),
        };
    }

    // The providers without their own SQL in LoadRawAsync: SQL Server takes the row's update lock.
    private static IQueryable<Persistence.Entities.InstanceRecord> LockAndLoad(Persistence.WorkflowsDbContext db, string instanceId) =>
        db.Database.ProviderName?.Contains("SqlServer", StringComparison.Ordinal) == true
            ? db.Instances.FromSqlInterpolated($"SELECT * FROM instances WITH (UPDLOCK, ROWLOCK) WHERE id = {instanceId}")
            : db.Instances.Where(i => i.Id == instanceId);
}
