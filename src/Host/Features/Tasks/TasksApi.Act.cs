using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Workflows.Engine.Execution;
using Workflows.Engine.Graph;
using Workflows.Host.Api;
using Workflows.Host.Definitions;
using Workflows.Host.Runtime;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Features.Tasks;

public static partial class TasksApi
{
    /// <summary>GET /api/tasks/{id}: the step's form, allowed actions, the instance's history and diagram.</summary>
    public static async Task<IResult> GetAsync(string id, HttpContext http, WorkflowsDbContext db, DefinitionStore definitions, CancellationToken ct)
    {
        if (http.UserId() is not { } me) return Unauthenticated();
        var task = await db.Tasks.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct);
        if (task is null) return NotFound(id);
        if (task.AssigneeId != me && task.InitiatorId != me && !http.IsAdministrator()) return NotYours();

        var instance = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == task.InstanceId, ct);
        var payload = task.PayloadJson is null ? new JsonObject() : JsonNode.Parse(task.PayloadJson)!.AsObject();
        var others = await db.Tasks.AsNoTracking().Where(t => t.InstanceId == task.InstanceId).OrderBy(t => t.CreatedAt)
            .Select(t => new { t.Id, t.StepName, t.Kind, t.AssigneeId, t.Status, t.Action, t.Comment, t.CreatedAt, t.CompletedAt, t.DelegatedFromId })
            .ToListAsync(ct);
        var names = await db.Users.AsNoTracking().Where(u => others.Select(o => o.AssigneeId).Contains(u.Id) || u.Id == task.InitiatorId)
            .ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var state = WorkflowState.FromJson(instance.StateJson);
        var definition = await definitions.GetAsync(instance.DefinitionId, instance.DefinitionVersion, ct);
        var current = state.Activities.Where(a => a.Status == ActivityStatus.Suspended).Select(a => a.ActivityId).ToHashSet();
        return TypedResults.Ok(new
        {
            task.Id, task.InstanceId, task.DefinitionId, task.StepName, task.Kind, task.Status, task.AssigneeId,
            assigneeName = names.GetValueOrDefault(task.AssigneeId), task.InitiatorId,
            initiatorName = task.InitiatorId is null ? null : names.GetValueOrDefault(task.InitiatorId),
            task.CreatedAt, task.DueAt, task.CompletedAt, task.Action, task.Comment,
            form = payload["form"], actions = task.Status == "Pending" && task.AssigneeId == me ? AllowedActions(payload) : [],
            variables = state.Variables,
            instance = new { instance.Id, instance.Status, instance.SubStatus },
            history = others.Select(o => new { o.Id, o.StepName, o.Kind, o.AssigneeId, assigneeName = names.GetValueOrDefault(o.AssigneeId), o.Status, o.Action, o.Comment, o.CreatedAt, o.CompletedAt, o.DelegatedFromId }),
            graph = definition is null ? null : MermaidExporter.Export(definition, current, Workflows.Host.Components.Shared.PortLabels.Of),
        });
    }

    /// <summary>POST /api/tasks/{id}/actions {action, comment, fields, toStep, users, position}.</summary>
    public static async Task<IResult> ActAsync(string id, HttpContext http, WorkflowsDbContext db, WorkflowRuntime runtime,
        DefinitionStore definitions, CancellationToken ct)
    {
        if (http.UserId() is not { } me) return Unauthenticated();
        var (body, error) = await ProblemResults.ReadObjectAsync(http.Request);
        if (error is not null) return error;
        var action = body!["action"] is JsonValue av && av.TryGetValue<string>(out var a) ? a : null;
        if (action is null || !TaskActions.All.Contains(action))
            return ProblemResults.Validation("action", $"action 必须是 {string.Join("、", TaskActions.All)} 之一 / action must be one of {string.Join(", ", TaskActions.All)}.");
        if (body["comment"] is { } c && (c is not JsonValue cv || !cv.TryGetValue<string>(out var cs) || cs.Length > 2000))
            return ProblemResults.Validation("comment", "意见须为不超过 2000 字的文本 / comment must be text of at most 2000 characters.");
        return await ActOnTaskAsync(id, me, action, body, http, db, runtime, definitions, ct);
    }

    /// <summary>The checks and the resume behind an action, shared by the API and the one-click email links.</summary>
    internal static async Task<IResult> ActOnTaskAsync(string id, string me, string action, JsonObject body, HttpContext http,
        WorkflowsDbContext db, WorkflowRuntime runtime, DefinitionStore definitions, CancellationToken ct)
    {
        var task = await db.Tasks.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct);
        if (task is null) return NotFound(id);
        if (task.AssigneeId != me) return NotYours();
        if (task.Status != "Pending" || task.Kind != HumanTask.KindApproval)
            return TypedResults.Problem(statusCode: 409, title: "该任务已处理 / This task is already handled", detail: $"该任务{TaskStatusZh(task.Status)} / Task {id} is {task.Status}.");
        var payload = task.PayloadJson is null ? new JsonObject() : JsonNode.Parse(task.PayloadJson)!.AsObject();
        if (!AllowedActions(payload).Contains(action))
            return ProblemResults.Validation("action", $"此步骤不允许“{action}” / '{action}' is not allowed at this step.");
        var comment = body["comment"]?.ToString();
        var actor = ProblemResults.ActorOf(http) with { UserId = me };

        if (action == TaskActions.Comment)
        {
            db.Journal.Add(new Persistence.Entities.JournalEntry
            {
                InstanceId = task.InstanceId, ActivityId = task.ActivityId, Event = "TaskComment", Actor = actor.Name, At = DateTimeOffset.UtcNow,
                Summary = comment, RemoteAddress = actor.RemoteAddress, Client = actor.Client,
            });
            await db.SaveChangesAsync(ct);
            return TypedResults.Ok(new { taskId = id, status = task.Status });
        }

        var problem = await ValidateActionAsync(db, definitions, task, payload, action, body, ct);
        if (problem is not null) return problem;

        var resume = new JsonObject
        {
            ["action"] = action, ["userId"] = me, ["comment"] = comment,
            ["fields"] = body["fields"]?.DeepClone(), ["toStep"] = body["toStep"]?.DeepClone(),
            ["users"] = body["users"]?.DeepClone(), ["position"] = body["position"]?.DeepClone(),
        };
        // The approval step's own rules (a user already holding a task in the step, …) are checked on the current state.
        var instanceRow = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == task.InstanceId, ct);
        var current = WorkflowState.FromJson(instanceRow.StateJson);
        var bookmark = current.Bookmarks.FirstOrDefault(b => b.Id == task.BookmarkId);
        if (bookmark is null)
            return TypedResults.Problem(statusCode: 409, title: "该任务已被处理 / This task was already handled");
        var stepErrors = Workflows.Activities.Approvals.ApprovalTaskCheck.Check(bookmark, resume,
            await definitions.GetAsync(instanceRow.DefinitionId, instanceRow.DefinitionVersion, ct), current);
        if (stepErrors.Count > 0)
            return TypedResults.ValidationProblem(stepErrors.ToDictionary(e => e.Key, e => new[] { e.Value }), title: "无法执行此操作 / The action was refused");
        try
        {
            var outcome = await runtime.ResumeAsync(task.InstanceId, task.BookmarkId!, resume, actor, ct,
                new TaskActionInfo(task.Id, me, action, comment));
            if (outcome.Result.RemovedBookmarks.All(b => b.Id != task.BookmarkId) && outcome.State.Bookmarks.Any(b => b.Id == task.BookmarkId))
                return TypedResults.Problem(statusCode: 400, title: "无法执行此操作 / The action was refused",
                    detail: "审批步骤拒绝了此操作，任务保持待办 / The step refused the action; the task is still pending.");
            return TypedResults.Ok(new { taskId = id, status = "Done", instance = new { id = outcome.InstanceId, status = outcome.State.Status.ToString(), subStatus = outcome.State.SubStatus.ToString() } });
        }
        catch (RuntimeException ex) when (ex.Status == 409)
        {
            return TypedResults.Problem(statusCode: 409, title: "该任务已被处理 / This task was already handled", detail: ex.Message);
        }
    }

    internal static IReadOnlyList<string> AllowedActions(JsonObject payload) =>
        payload["actions"] is JsonArray a ? [.. Strings(a), TaskActions.Comment] : [.. TaskActions.All];

    private static IResult NotFound(string id) => TypedResults.Problem(statusCode: 404, title: "任务不存在 / Task not found", detail: $"任务“{id}”不存在 / Task '{id}' does not exist.");

    private static string TaskStatusZh(string status) => status switch
    {
        "Pending" => "是抄送，无需办理", // a pending task that is not an approval is a copy (Cc)
        "Done" => "已处理",
        "Cancelled" => "已取消",
        _ => $"状态为 {status}",
    };

    private static IResult NotYours() => TypedResults.Problem(statusCode: 403, title: "这不是你的任务 / This task is not yours");
}
