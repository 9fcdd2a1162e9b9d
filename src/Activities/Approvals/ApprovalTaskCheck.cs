using System.Text.Json.Nodes;
using Workflows.Activities.People;
using Workflows.Engine.Bookmarks;
using Workflows.Engine.Definitions;
using Workflows.Engine.Execution;

namespace Workflows.Activities.Approvals;

/// <summary>
/// The checks the host runs on a submission BEFORE it resumes an approval bookmark, so that a bad submission is
/// refused with a message and nothing changes. The activity runs the same checks again inside the run (and a few
/// that need the step's state); a submission it refuses there keeps its bookmark and faults nothing.
/// </summary>
public static class ApprovalTaskCheck
{
    /// <summary>
    /// Errors of <paramref name="payload"/> for <paramref name="bookmark"/>, keyed by what is wrong ("userId",
    /// "action", "users", "position", "toStep", "fields.&lt;name&gt;"), in Chinese. Empty when it may be submitted.
    /// Pass the definition to check "toStep", and the instance's state to check that the users named for transfer,
    /// delegate or addSigner have no pending task in the step already.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Check(Bookmark bookmark, JsonNode? payload, WorkflowDefinition? definition = null,
        WorkflowState? state = null)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (bookmark.Kind != Approval.BookmarkKind)
        {
            errors["bookmark"] = "这不是审批待办";
            return errors;
        }
        if (payload is not JsonObject)
        {
            errors["action"] = "请选择操作";
            return errors;
        }

        var request = ApprovalRequest.Parse(payload);
        var assignee = bookmark.Payload?["assigneeId"]?.ToString() ?? bookmark.Stimulus;
        if (request.UserId is null || request.UserId != assignee)
            errors["userId"] = "只有待办的处理人本人才能办理";

        var allowed = AssigneeRule.StringsOf(bookmark.Payload?["actions"]);
        if (request.Action is null)
            errors["action"] = "请选择操作";
        else if (!ApprovalActions.All.Contains(request.Action))
            errors["action"] = $"未知的操作「{request.Action}」";
        else if (!allowed.Contains(request.Action))
            errors["action"] = $"此待办不能「{ApprovalActions.Label(request.Action)}」";

        switch (request.Action)
        {
            case ApprovalActions.Transfer or ApprovalActions.Delegate:
                if (request.Users.Count != 1)
                    errors["users"] = $"{ApprovalActions.Label(request.Action)}需要指定一名用户";
                else if (request.Users[0] == assignee)
                    errors["users"] = $"不能{ApprovalActions.Label(request.Action)}给自己";
                break;
            case ApprovalActions.AddSigner:
                if (request.Users.Count == 0)
                    errors["users"] = "加签需要指定至少一名用户";
                else if (request.Users.Contains(assignee))
                    errors["users"] = "不能给自己加签";
                else if (request.Users.Distinct(StringComparer.Ordinal).Count() != request.Users.Count)
                    errors["users"] = "加签用户重复";
                if (request.Position is not (ApprovalActions.PositionBefore or ApprovalActions.PositionAfter))
                    errors["position"] = "加签位置必须是 before（在我之前）或 after（在我之后）";
                break;
            case ApprovalActions.Return when request.ToStep is not null && definition is not null:
                if (ReturnTargetError(definition, bookmark.ActivityId, request.ToStep) is { } error)
                    errors["toStep"] = error;
                break;
        }

        if (!errors.ContainsKey("users") && state is not null && request.Action is ApprovalActions.Transfer or ApprovalActions.Delegate or ApprovalActions.AddSigner)
        {
            var step = ApprovalStepState.FromJson(state.Activities.FirstOrDefault(a => a.Id == bookmark.ActivityRecordId)?.Properties);
            if (step is not null && request.Users.FirstOrDefault(u => step.PendingTasks.Any(t => t.UserId == u)) is { } busy)
                errors["users"] = $"用户「{busy}」已有本步骤的待办";
        }

        if (request.Decides)
            foreach (var (field, message) in ApprovalForm.Validate(bookmark.Payload?["form"] as JsonObject, request.Fields))
                errors["fields." + field] = message;
        return errors;
    }

    /// <summary><see cref="Check"/>, plus: the users named for transfer, delegate or addSigner exist and are active.</summary>
    public static async ValueTask<IReadOnlyDictionary<string, string>> CheckAsync(Bookmark bookmark, JsonNode? payload,
        IAssigneeDirectory directory, WorkflowDefinition? definition = null, WorkflowState? state = null, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string>(Check(bookmark, payload, definition, state), StringComparer.Ordinal);
        if (!errors.ContainsKey("users"))
            foreach (var user in ApprovalRequest.Parse(payload).Users)
                if (!await directory.IsActiveAsync(user, ct))
                {
                    errors["users"] = $"用户「{user}」不存在或已停用";
                    break;
                }
        return errors;
    }

    /// <summary>Why <paramref name="toStep"/> cannot be returned to from <paramref name="fromActivityId"/>, or null.</summary>
    public static string? ReturnTargetError(WorkflowDefinition definition, string fromActivityId, string toStep)
    {
        var target = definition.Find(toStep);
        var from = definition.Find(fromActivityId);
        if (target is null) return $"没有步骤「{toStep}」";
        if (toStep == fromActivityId) return "不能退回到本步骤";
        if (from is null || target.Parent != from.Parent) return $"不能退回到「{target.DisplayName}」：它不在同一流程图中";
        return null;
    }
}
