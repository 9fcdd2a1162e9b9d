using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
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

    public async Task UpdateAsync(WorkflowsDbContext db, InstanceRecord record, RunResult result, RunContext context, CancellationToken ct)
    {
        var firedBookmarkId = context.FiredBookmarkId;
        Fill(record, result.State);
        var entry = db.Entry(record);
        if (entry.State == EntityState.Detached)
            entry.State = EntityState.Modified; // not loaded by this context: every column
        else
            // Loaded (tracked) by this context: the UPDATE sets only the columns that changed, so the indexes of the
            // others (definition, correlation id, initiator, …) are not rewritten. Version is always marked, so that every
            // run writes the row and goes through the concurrency check (SaveChanges increments it).
            entry.Property(r => r.Version).IsModified = true;
        AddRows(db, result, context.Actor);
        foreach (var p in projectors) p.BeforeSave(db, result, context);
        // Removed bookmarks go out in the same batch as the instance row (they were committed by an earlier run).
        foreach (var b in result.RemovedBookmarks)
            db.Bookmarks.Remove(new BookmarkRecord { Id = b.Id });
        await db.SaveChangesAsync(ct);
        foreach (var p in projectors) await p.AfterSaveAsync(db, result, context, ct);

        // Only bookmarks with a due time have timer rows.
        var removed = result.RemovedBookmarks.Where(b => b.DueAt is not null).Select(b => b.Id).ToList();
        if (removed.Count == 0) return;
        var now = time.GetUtcNow();
        if (firedBookmarkId is not null)
            await db.Timers.Where(t => t.BookmarkId == firedBookmarkId && t.Status == TimerStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TimerStatus.Fired).SetProperty(t => t.FiredAt, now), ct);
        await db.Timers.Where(t => removed.Contains(t.BookmarkId) && t.Status == TimerStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TimerStatus.Cancelled), ct);
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

    private void AddRows(WorkflowsDbContext db, RunResult result, Actor actor)
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
        foreach (var j in result.Journal)
        {
            db.Journal.Add(new Persistence.Entities.JournalEntry
            {
                InstanceId = instanceId, ActivityId = j.ActivityId, Event = j.Event, At = j.At, Summary = Trim(j.Summary, 2000),
                Actor = actor.Name, RemoteAddress = actor.RemoteAddress, Client = Trim(actor.Client, 300),
            });
        }
        foreach (var m in result.Messages.Where(m => m.Kind == OutboxMessage.KindEmail))
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
