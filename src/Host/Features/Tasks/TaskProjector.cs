using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Workflows.Engine.Bookmarks;
using Workflows.Engine.Execution;
using Workflows.Host.Runtime;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Features.Tasks;

/// <summary>
/// Keeps the task inbox in step with the instance: every approval bookmark is a pending task of its assignee;
/// when the bookmark goes, the task is done (by the person who acted) or cancelled (someone else settled the step).
/// CC messages become CC entries of their recipients. Tasks are notified through <see cref="TaskNotifications"/>.
/// </summary>
public sealed class TaskProjector(TimeProvider time, TaskNotifications notifications) : IRunProjector
{
    public const string ApprovalKind = "Workflows.Approval";

    public void BeforeSave(WorkflowsDbContext db, RunResult result, RunContext context)
    {
        var state = result.State;
        var now = time.GetUtcNow();
        foreach (var bookmark in result.CreatedBookmarks.Where(b => b.Kind == ApprovalKind))
        {
            var task = NewTask(state, bookmark, now);
            db.Tasks.Add(task);
            notifications.TaskAssigned(db, task);
        }
        foreach (var message in result.Messages)
        {
            var userIds = (message.Data["userIds"] as JsonArray ?? []).Select(u => u?.ToString()).OfType<string>().Distinct().ToList();
            var step = message.Data["stepName"]?.ToString() ?? message.ActivityId;
            switch (message.Kind)
            {
                case "cc":
                    foreach (var userId in userIds)
                        db.Tasks.Add(new HumanTask
                        {
                            Id = Guid.NewGuid().ToString("N"),
                            InstanceId = state.InstanceId, DefinitionId = state.DefinitionId, ActivityId = message.ActivityId,
                            StepName = step, Kind = HumanTask.KindCc, AssigneeId = userId, InitiatorId = state.InitiatorId,
                            Status = "Done", CreatedAt = now, CompletedAt = now, PayloadJson = message.Data.ToJsonString(),
                        });
                    notifications.Cc(db, state, step, userIds);
                    break;
                case "task-reminder":
                    notifications.Reminder(db, state, step, userIds, message.Data["dueAt"]?.ToString());
                    break;
                case "notify":
                    notifications.Notify(db, state, userIds, message.Data);
                    break;
            }
        }
        if (state.Status == WorkflowStatus.Finished && state.InitiatorId is { } initiator)
            notifications.Finished(db, state, initiator);
    }

    public async Task AfterSaveAsync(WorkflowsDbContext db, RunResult result, RunContext context, CancellationToken ct)
    {
        List<string>? removed = null; // most runs remove no approval bookmark: no allocation then
        foreach (var b in result.RemovedBookmarks)
            if (b.Kind == ApprovalKind) (removed ??= []).Add(b.Id);
        if (removed is null) return;
        var now = time.GetUtcNow();
        if (context.TaskAction is { } action && removed.Contains(action.TaskId))
        {
            await db.Tasks.Where(t => t.Id == action.TaskId && t.Status == "Pending")
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, "Done").SetProperty(t => t.CompletedAt, now)
                    .SetProperty(t => t.Action, action.Action).SetProperty(t => t.Comment, action.Comment), ct);
            removed.Remove(action.TaskId);
        }
        if (removed.Count > 0)
            await db.Tasks.Where(t => removed.Contains(t.Id) && t.Status == "Pending")
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, "Cancelled").SetProperty(t => t.CompletedAt, now), ct);
    }

    private static HumanTask NewTask(WorkflowState state, Bookmark bookmark, DateTimeOffset now)
    {
        var payload = bookmark.Payload ?? new JsonObject();
        return new HumanTask
        {
            Id = bookmark.Id,
            InstanceId = state.InstanceId,
            BookmarkId = bookmark.Id,
            DefinitionId = state.DefinitionId,
            ActivityId = bookmark.ActivityId,
            StepName = payload["stepName"]?.ToString() ?? bookmark.ActivityId,
            Kind = HumanTask.KindApproval,
            AssigneeId = payload["assigneeId"]?.ToString() ?? bookmark.Stimulus ?? "",
            InitiatorId = state.InitiatorId,
            Status = "Pending",
            CreatedAt = now,
            DueAt = DateTimeOffset.TryParse(payload["dueAt"]?.ToString(), out var due) ? due : null,
            DelegatedFromId = payload["delegatedFrom"]?.ToString(),
            PayloadJson = payload.ToJsonString(),
        };
    }
}
