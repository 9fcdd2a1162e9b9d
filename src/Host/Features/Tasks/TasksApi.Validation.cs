using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Workflows.Host.Api;
using Workflows.Host.Definitions;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Features.Tasks;

public static partial class TasksApi
{
    /// <summary>Checks everything the engine would refuse, before the instance is touched; each problem names its field.</summary>
    private static async Task<IResult?> ValidateActionAsync(WorkflowsDbContext db, DefinitionStore definitions, HumanTask task,
        JsonObject payload, string action, JsonObject body, CancellationToken ct)
    {
        if (TaskActions.NeedsUsers(action))
        {
            var users = Strings(body["users"]);
            if (body["users"] is not JsonArray || users.Count == 0)
                return ProblemResults.Validation("users", "请选择人员 / users must list at least one user id.");
            if (users.Contains(task.AssigneeId))
                return ProblemResults.Validation("users", "不能选择自己 / You cannot pick yourself.");
            var known = await db.Users.AsNoTracking().Where(u => users.Contains(u.Id) && u.Status == "Active").Select(u => u.Id).ToListAsync(ct);
            var unknown = users.Except(known).ToList();
            if (unknown.Count > 0)
                return ProblemResults.Validation("users", $"人员不存在或已停用：{string.Join(", ", unknown)} / Unknown or inactive users: {string.Join(", ", unknown)}.");
        }
        if (action == TaskActions.AddSigner && body["position"]?.ToString() is not ("before" or "after"))
            return ProblemResults.Validation("position", "加签位置须为 before 或 after / position must be before or after.");
        if (action == TaskActions.Return && body["toStep"] is { } toStep)
        {
            var instance = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == task.InstanceId, ct);
            var definition = await definitions.GetAsync(instance.DefinitionId, instance.DefinitionVersion, ct);
            var step = toStep is JsonValue sv && sv.TryGetValue<string>(out var s) ? definition?.Find(s) : null;
            if (step is null || step.Parent != definition!.Find(task.ActivityId)?.Parent || step.Id == task.ActivityId)
                return ProblemResults.Validation("toStep", "退回的步骤不存在 / toStep must be an earlier step of this flow.");
        }
        if (body["fields"] is { } fields && fields is not JsonObject)
            return ProblemResults.Validation("fields", "表单数据须为对象 / fields must be a JSON object.");
        if (action is TaskActions.Approve or TaskActions.Reject && payload["form"] is JsonObject form)
        {
            var fieldObject = body["fields"] as JsonObject ?? new JsonObject();
            {
                var errors = Workflows.Activities.Approvals.ApprovalForm.Validate(form, fieldObject);
                if (errors.Count > 0)
                    return TypedResults.ValidationProblem(errors.ToDictionary(e => $"fields.{e.Key}", e => new[] { e.Value }),
                        title: "表单填写有误 / The form has errors");
            }
        }
        return null;
    }
}
