using Microsoft.EntityFrameworkCore;
using Workflows.Engine.Execution;
using Workflows.Host.Api;
using Workflows.Host.Runtime;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Features.Tasks;

public static partial class TasksApi
{
    /// <summary>POST /api/requests/{id}/withdraw: the initiator takes the request back before anyone acted (撤回).</summary>
    public static async Task<IResult> WithdrawAsync(string id, HttpContext http, WorkflowsDbContext db, WorkflowRuntime runtime, CancellationToken ct)
    {
        if (http.UserId() is not { } me) return Unauthenticated();
        var instance = await db.Instances.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, ct);
        if (instance is null) return TypedResults.Problem(statusCode: 404, title: "申请不存在 / Request not found");
        if (instance.InitiatorId != me) return TypedResults.Problem(statusCode: 403, title: "只有发起人可以撤回 / Only the initiator can withdraw");
        var acted = await db.Tasks.AnyAsync(t => t.InstanceId == id && t.Kind == HumanTask.KindApproval && t.Status == "Done", ct);
        if (acted || instance.Status == nameof(WorkflowStatus.Finished))
            return TypedResults.Problem(statusCode: 409, title: "已有人处理，无法撤回 / Someone already acted; it can no longer be withdrawn");
        var outcome = await runtime.CancelAsync(id, "发起人撤回 Withdrawn by the initiator", ProblemResults.ActorOf(http) with { UserId = me }, ct);
        return TypedResults.Ok(new { id, status = outcome.State.Status.ToString(), subStatus = outcome.State.SubStatus.ToString() });
    }

    /// <summary>POST /api/requests/{id}/urge: an immediate reminder to everyone the request waits on (催办).</summary>
    public static async Task<IResult> UrgeAsync(string id, HttpContext http, WorkflowsDbContext db, TaskNotifications notifications,
        TimeProvider time, CancellationToken ct)
    {
        if (http.UserId() is not { } me) return Unauthenticated();
        var instance = await db.Instances.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, ct);
        if (instance is null) return TypedResults.Problem(statusCode: 404, title: "申请不存在 / Request not found");
        if (instance.InitiatorId != me) return TypedResults.Problem(statusCode: 403, title: "只有发起人可以催办 / Only the initiator can urge");
        var pending = await db.Tasks.AsNoTracking().Where(t => t.InstanceId == id && t.Status == "Pending" && t.Kind == HumanTask.KindApproval).ToListAsync(ct);
        if (pending.Count == 0) return TypedResults.Problem(statusCode: 409, title: "没有待处理的任务 / Nothing is waiting");
        var state = WorkflowState.FromJson(instance.StateJson);
        foreach (var step in pending.GroupBy(t => t.StepName))
            notifications.Reminder(db, state, step.Key, step.Select(t => t.AssigneeId).ToList(), step.Min(t => t.DueAt)?.ToString("O"));
        var actor = ProblemResults.ActorOf(http);
        db.Journal.Add(new Persistence.Entities.JournalEntry
        {
            InstanceId = id, Event = "Urged", Actor = actor.Name, At = time.GetUtcNow(), RemoteAddress = actor.RemoteAddress, Client = actor.Client,
            Summary = $"催办 {pending.Count} 人 / urged {pending.Count} assignee(s)",
        });
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new { id, urged = pending.Select(t => t.AssigneeId).Distinct().ToList() });
    }
}
