using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Workflows.Activities.Calendar;
using Workflows.Engine.Execution;
using Workflows.Host.Notifications;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Features.Tasks;

/// <summary>
/// The notifications of the task inbox (assigned, reminder, CC, result, notify), as rows of the run's transaction:
/// an in-app entry always, an email when the person has an address.
/// </summary>
public sealed class TaskNotifications(NotificationService notifications, TimeProvider time)
{
    public void TaskAssigned(WorkflowsDbContext db, HumanTask task) =>
        notifications.Enqueue(db, new NotificationRequest("task-assigned", [task.AssigneeId],
            new JsonObject { ["task"] = TaskModel(db, task.DefinitionId, task.InitiatorId, task.StepName, task.DueAt) },
            task.InstanceId, task.Id,
            [new LinkRequest(LinkPurpose.Approve), new LinkRequest(LinkPurpose.Reject), new LinkRequest(LinkPurpose.Open)]));

    public void Reminder(WorkflowsDbContext db, WorkflowState state, string step, IReadOnlyList<string> userIds, string? dueAt)
    {
        DateTimeOffset? due = DateTimeOffset.TryParse(dueAt, out var d) ? d : null;
        var model = new JsonObject
        {
            ["task"] = TaskModel(db, state.DefinitionId, state.InitiatorId, step, due),
            ["overdue"] = due is { } x && x <= time.GetUtcNow(),
            ["link"] = "/tasks",
        };
        notifications.Enqueue(db, new NotificationRequest("task-reminder", userIds, model, state.InstanceId, null, []));
    }

    public void Cc(WorkflowsDbContext db, WorkflowState state, string step, IReadOnlyList<string> userIds) =>
        notifications.Enqueue(db, new NotificationRequest("task-cc", userIds,
            new JsonObject { ["task"] = TaskModel(db, state.DefinitionId, state.InitiatorId, step, null), ["link"] = $"/instances/{state.InstanceId}" },
            state.InstanceId, null, []));

    public void Notify(WorkflowsDbContext db, WorkflowState state, IReadOnlyList<string> userIds, JsonObject data)
    {
        var model = data["model"] as JsonObject is { } m ? (JsonObject)m.DeepClone() : new JsonObject();
        model["title"] ??= data["subject"]?.ToString() ?? DefinitionName(db, state.DefinitionId);
        model["message"] ??= data["body"]?.ToString() ?? "";
        var template = data["template"]?.ToString() is { Length: > 0 } t ? t : "notify";
        notifications.Enqueue(db, new NotificationRequest(template, userIds, model, state.InstanceId, null, []));
    }

    public void Finished(WorkflowsDbContext db, WorkflowState state, string initiatorId)
    {
        var result = state.SubStatus switch
        {
            WorkflowSubStatus.Finished => state.Variables.TryGetValue("Result", out var r) && r is not null ? r.ToString() : "finished",
            WorkflowSubStatus.Cancelled => "cancelled",
            _ => "faulted",
        };
        var model = new JsonObject
        {
            ["request"] = new JsonObject { ["title"] = DefinitionName(db, state.DefinitionId) },
            ["result"] = result,
            ["link"] = $"/instances/{state.InstanceId}",
        };
        notifications.Enqueue(db, new NotificationRequest("task-result", [initiatorId], model, state.InstanceId, null, []));
    }

    private static JsonObject TaskModel(WorkflowsDbContext db, string definitionId, string? initiatorId, string step, DateTimeOffset? due)
    {
        var initiator = initiatorId is null ? null : db.Users.AsNoTracking().Where(u => u.Id == initiatorId).Select(u => u.Name).FirstOrDefault();
        var title = DefinitionName(db, definitionId);
        return new JsonObject
        {
            ["title"] = initiator is null ? title : $"{initiator}的{title}",
            ["step"] = step,
            ["initiator"] = initiator,
            ["due"] = due is { } d ? TimeZoneInfo.ConvertTime(d, ChinaStandardTime.Zone).ToString("yyyy-MM-dd HH:mm") + "（北京时间）" : null,
        };
    }

    private static string DefinitionName(WorkflowsDbContext db, string definitionId) =>
        db.Definitions.AsNoTracking().Where(d => d.DefinitionId == definitionId).OrderByDescending(d => d.Version)
            .Select(d => d.Name).FirstOrDefault() ?? definitionId;
}
