using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Workflows.Engine.Bookmarks;
using Workflows.Engine.Execution;
using Workflows.Host.Scheduling;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Runtime;

/// <summary>Turns a run result into rows (instance, bookmarks, timers, journal, outbox) and, after commit, into jobs.</summary>
public sealed class InstanceWriter(TimerScheduler timers, TimeProvider time, IEnumerable<IRunProjector> projectors)
{
    public void Add(WorkflowsDbContext db, RunResult result, RunContext context)
    {
        var state = result.State;
        var record = new InstanceRecord { Id = state.InstanceId, CreatedAt = state.CreatedAt, InitiatorId = state.InitiatorId };
        Fill(record, state);
        db.Instances.Add(record);
        AddRows(db, result, context.Actor);
        foreach (var p in projectors) p.BeforeSave(db, result, context);
    }

    /// <summary>
    /// Writes a run of an instance loaded (untracked) by this transaction. On SQLite and PostgreSQL the instance row, the
    /// removed bookmarks and the journal go out as one hand-written batch (no change tracking, no EF update pipeline):
    /// the UPDATE sets only the columns that changed (so the indexes of the others are not rewritten) plus the version,
    /// and its WHERE clause checks the version loaded, as EF's concurrency token did. A row that is not there any more
    /// (instance or bookmark) throws <see cref="DbUpdateConcurrencyException"/>, as EF did. Everything else (new
    /// bookmarks, timers, outbox rows, the projectors' rows) is saved by EF in the same transaction.
    /// </summary>
    public async Task UpdateAsync(WorkflowsDbContext db, InstanceRecord record, RunResult result, RunContext context, CancellationToken ct)
    {
        var firedBookmarkId = context.FiredBookmarkId;
        var dialect = DialectOf(db);
        if (dialect == SqlDialect.None)
        {
            // Other providers: EF writes the row. Attached as loaded, so the UPDATE sets only the columns that changed.
            var entry = db.Instances.Attach(record);
            Fill(record, result.State);
            entry.Property(r => r.Version).IsModified = true; // every run writes the row and goes through the concurrency check
            AddRows(db, result, context.Actor, journal: true);
            foreach (var p in projectors) p.BeforeSave(db, result, context);
            foreach (var b in result.RemovedBookmarks)
                db.Bookmarks.Remove(new BookmarkRecord { Id = b.Id });
            await db.SaveChangesAsync(ct);
        }
        else
        {
            await WriteInstanceAsync(db, dialect, record, result, context.Actor, ct);
            AddRows(db, result, context.Actor, journal: false);
            foreach (var p in projectors) p.BeforeSave(db, result, context);
            if (db.ChangeTracker.HasChanges()) await db.SaveChangesAsync(ct);
        }
        foreach (var p in projectors) await p.AfterSaveAsync(db, result, context, ct);

        // Only bookmarks with a due time have timer rows.
        List<string>? removed = null;
        foreach (var b in result.RemovedBookmarks)
            if (b.DueAt is not null) (removed ??= []).Add(b.Id);
        if (removed is null) return;
        var now = time.GetUtcNow();
        if (firedBookmarkId is not null)
            await db.Timers.Where(t => t.BookmarkId == firedBookmarkId && t.Status == TimerStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TimerStatus.Fired).SetProperty(t => t.FiredAt, now), ct);
        await db.Timers.Where(t => removed.Contains(t.BookmarkId) && t.Status == TimerStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TimerStatus.Cancelled), ct);
    }

    private const int JournalRowsPerInsert = 100;

    /// <summary>The providers the runtime writes (and loads) with its own SQL; None = through EF.</summary>
    internal enum SqlDialect { None, Sqlite, PostgreSql }

    internal static SqlDialect DialectOf(WorkflowsDbContext db) => db.Database.ProviderName switch
    {
        "Microsoft.EntityFrameworkCore.Sqlite" => SqlDialect.Sqlite,
        "Npgsql.EntityFrameworkCore.PostgreSQL" => SqlDialect.PostgreSql,
        _ => SqlDialect.None,
    };

    /// <summary>The instance UPDATE (changed columns + version, checked), the removed bookmarks' DELETEs and the journal INSERTs.</summary>
    private async Task WriteInstanceAsync(WorkflowsDbContext db, SqlDialect dialect, InstanceRecord record, RunResult result, Actor actor, CancellationToken ct)
    {
        var state = result.State;
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var sql = new StringBuilder(512);
        var n = 0;
        string Param(object? value)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@p" + n++;
            p.Value = value ?? DBNull.Value;
            command.Parameters.Add(p);
            return p.ParameterName;
        }
        object Time(DateTimeOffset t) => dialect == SqlDialect.Sqlite ? t.UtcTicks : t.ToUniversalTime();
        object? TimeOrNull(DateTimeOffset? t) => t is { } v ? Time(v) : null;

        // Every run writes the row and goes through the concurrency check; RETURNING 1 says whether it did.
        sql.Append("UPDATE instances SET version = ").Append(Param(record.Version + 1));
        var status = state.Status.ToString();
        var subStatus = state.SubStatus.ToString();
        if (record.DefinitionId != state.DefinitionId) sql.Append(", definition_id = ").Append(Param(state.DefinitionId));
        if (record.DefinitionVersion != state.DefinitionVersion) sql.Append(", definition_version = ").Append(Param(state.DefinitionVersion));
        if (record.Status != status) sql.Append(", status = ").Append(Param(status));
        if (record.SubStatus != subStatus) sql.Append(", sub_status = ").Append(Param(subStatus));
        if (record.CorrelationId != state.CorrelationId) sql.Append(", correlation_id = ").Append(Param(state.CorrelationId));
        var json = state.ToJson();
        if (record.StateJson != json) sql.Append(", state_json = ").Append(Param(json));
        if (record.UpdatedAt != state.UpdatedAt) sql.Append(", updated_at = ").Append(Param(Time(state.UpdatedAt)));
        if (record.FinishedAt != state.FinishedAt) sql.Append(", finished_at = ").Append(Param(TimeOrNull(state.FinishedAt)));
        if (record.IncidentCount != state.Incidents.Count) sql.Append(", incident_count = ").Append(Param(state.Incidents.Count));
        sql.Append(" WHERE id = ").Append(Param(record.Id)).Append(" AND version = ").Append(Param(record.Version)).Append(" RETURNING 1;");
        var expected = 1;
        // One DELETE for all removed bookmarks and one multi-row INSERT per 100 journal rows (the values every row shares
        // are one parameter each): each statement costs a prepare and a bind of every parameter, so fewer is faster.
        if (result.RemovedBookmarks.Count > 0)
        {
            sql.Append("\nDELETE FROM bookmarks WHERE id IN (");
            for (var i = 0; i < result.RemovedBookmarks.Count; i++)
                sql.Append(i == 0 ? "" : ", ").Append(Param(result.RemovedBookmarks[i].Id));
            sql.Append(") RETURNING 1;");
            expected += result.RemovedBookmarks.Count;
        }
        if (result.Journal.Count > 0)
        {
            var (instanceId, actorName, remoteAddress, client) =
                (Param(state.InstanceId), Param(actor.Name), Param(actor.RemoteAddress), Param(Trim(actor.Client, 300)));
            for (var i = 0; i < result.Journal.Count; i++)
            {
                var j = result.Journal[i];
                sql.Append(i % JournalRowsPerInsert == 0
                    ? "\nINSERT INTO journal_entries (instance_id, activity_id, \"event\", \"at\", summary, actor, remote_address, client) VALUES ("
                    : ", (");
                sql.Append(instanceId).Append(", ").Append(Param(j.ActivityId)).Append(", ").Append(Param(j.Event)).Append(", ")
                    .Append(Param(Time(j.At))).Append(", ").Append(Param(Trim(j.Summary, 2000))).Append(", ").Append(actorName).Append(", ")
                    .Append(remoteAddress).Append(", ").Append(client).Append(')');
                if (i % JournalRowsPerInsert == JournalRowsPerInsert - 1 || i == result.Journal.Count - 1) sql.Append(';');
            }
        }
        command.CommandText = sql.ToString();

        var rows = 0;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            do
                while (await reader.ReadAsync(ct)) rows++;
            while (await reader.NextResultAsync(ct));
        }
        if (rows != expected)
            throw new DbUpdateConcurrencyException(
                $"Instance {record.Id}: expected {expected} rows (the instance at version {record.Version} and its removed bookmarks), found {rows}.");
    }

    /// <summary>Jobs exist only once the rows they act on are committed.</summary>
    public void AfterCommit(RunResult result) => timers.ScheduleAfterCommit(result.DueBookmarks);

    private static void Fill(InstanceRecord record, WorkflowState state)
    {
        record.DefinitionId = state.DefinitionId;
        record.DefinitionVersion = state.DefinitionVersion;
        record.Status = state.Status.ToString();
        record.SubStatus = state.SubStatus.ToString();
        record.CorrelationId = state.CorrelationId;
        record.StateJson = state.ToJson();
        record.UpdatedAt = state.UpdatedAt;
        record.FinishedAt = state.FinishedAt;
        record.IncidentCount = state.Incidents.Count;
    }

    private void AddRows(WorkflowsDbContext db, RunResult result, Actor actor, bool journal = true)
    {
        var instanceId = result.State.InstanceId;
        var now = time.GetUtcNow();
        foreach (var b in result.CreatedBookmarks)
        {
            db.Bookmarks.Add(new BookmarkRecord
            {
                Id = b.Id, InstanceId = instanceId, ActivityId = b.ActivityId, ActivityInstanceId = b.ActivityRecordId,
                Kind = b.Kind, Stimulus = b.Stimulus, DueAt = b.DueAt, PayloadJson = b.Payload?.ToJsonString(), CreatedAt = now,
            });
            if (b.DueAt is { } due)
                db.Timers.Add(new TimerRecord { Id = b.Id, InstanceId = instanceId, BookmarkId = b.Id, DueAt = due });
        }
        foreach (var j in journal ? result.Journal : [])
        {
            db.Journal.Add(new Persistence.Entities.JournalEntry
            {
                InstanceId = instanceId, ActivityId = j.ActivityId, Event = j.Event, At = j.At, Summary = Trim(j.Summary, 2000),
                Actor = actor.Name, RemoteAddress = actor.RemoteAddress, Client = Trim(actor.Client, 300),
            });
        }
        foreach (var m in result.Messages)
            if (m.Kind == OutboxMessage.KindEmail)
                db.Outbox.Add(ToOutbox(instanceId, m, now));
    }

    private static OutboxMessage ToOutbox(string instanceId, OutgoingMessage m, DateTimeOffset now)
    {
        var id = Guid.NewGuid();
        return new OutboxMessage
        {
            Id = id, InstanceId = instanceId, Kind = m.Kind, MessageId = $"<{id:N}@workflows>",
            To = m.Data["to"]?.ToString() ?? "", Subject = m.Data["subject"]?.ToString() ?? "",
            BodyText = m.Data["text"]?.ToString() ?? "", BodyHtml = m.Data["html"]?.ToString(),
            CreatedAt = now, NextAttemptAt = now,
        };
    }

    private static string? Trim(string? s, int max) => s is null || s.Length <= max ? s : s[..max];
}
