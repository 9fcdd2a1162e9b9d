using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Workflows.Host.Api;
using Workflows.Host.Features.Auth;
using Workflows.Host.Runtime;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Features.Instances;

/// <summary>
/// POST /api/tasks/{id}/reassign {userId, comment}: bureau staff hand a pending task to someone else (改派), e.g. when
/// the assignee is away. It is the approval step's own "transfer", made on the assignee's behalf, so the step's rules
/// (the new person is active, has no task of the step yet) apply and the journal names the administrator.
/// </summary>
public static class ReassignApi
{
    public static RouteHandlerBuilder MapReassignApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/tasks/{id}/reassign", ReassignAsync).WithTags("Instances").RequireAuthorization(AuthPolicies.BureauStaff);

    public static async Task<IResult> ReassignAsync(string id, HttpContext http, WorkflowsDbContext db, WorkflowRuntime runtime, CancellationToken ct)
    {
        var (body, error) = await ProblemResults.ReadObjectAsync(http.Request);
        if (error is not null) return error;
        var userId = body!["userId"] is JsonValue u && u.TryGetValue<string>(out var s) ? s.Trim() : null;
        if (string.IsNullOrEmpty(userId)) return ProblemResults.Validation("userId", "请选择接手的人员 / userId is required.");
        var comment = body["comment"] is JsonValue c && c.TryGetValue<string>(out var cs) ? cs.Trim() : null;
        if (comment is { Length: > 2000 }) return ProblemResults.Validation("comment", "说明不能超过 2000 字 / comment must be at most 2000 characters.");

        var task = await db.Tasks.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct);
        if (task is null) return TypedResults.Problem(statusCode: 404, title: "任务不存在 / Task not found");
        if (task.Status != "Pending" || task.Kind != HumanTask.KindApproval || task.BookmarkId is null)
            return TypedResults.Problem(statusCode: 409, title: "该任务已处理 / This task is already handled");
        if (userId == task.AssigneeId) return ProblemResults.Validation("userId", "已经是该人员的任务 / The task is already theirs.");
        if (!await db.Users.AnyAsync(x => x.Id == userId && x.Status == People.UserStatuses.Active, ct))
            return ProblemResults.Validation("userId", "人员不存在或已停用 / Unknown or inactive user.");

        var me = http.User.UserId();
        var reason = string.IsNullOrEmpty(comment) ? "管理员改派 / Reassigned by an administrator" : comment;
        var payload = new JsonObject
        {
            ["action"] = TaskActionsNames.Transfer, ["userId"] = task.AssigneeId, ["users"] = new JsonArray(userId), ["comment"] = reason,
        };
        try
        {
            var outcome = await runtime.ResumeAsync(task.InstanceId, task.BookmarkId, payload, ProblemResults.ActorOf(http) with { UserId = me }, ct,
                new TaskActionInfo(task.Id, task.AssigneeId, TaskActionsNames.Transfer, reason));
            // The step refuses a hand-over it cannot take (keeps the task as it was and journals why).
            if (await db.Tasks.AsNoTracking().AnyAsync(t => t.Id == id && t.Status == "Pending", ct))
                return ProblemResults.Validation("userId", "该步骤未接受改派（此人可能已有本步骤的待办） / The step refused the reassignment (the person may already have a task of this step).");
            return TypedResults.Ok(new { taskId = id, instanceId = outcome.InstanceId, status = outcome.State.Status.ToString(), subStatus = outcome.State.SubStatus.ToString() });
        }
        catch (RuntimeException ex) when (ex.Status == 409)
        {
            return TypedResults.Problem(statusCode: 409, title: "该任务已被处理 / This task was already handled", detail: ex.Message);
        }
    }

    private static class TaskActionsNames
    {
        public const string Transfer = "transfer";
    }
}
