using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Activities.People;
using Workflows.Engine.Expressions;

namespace Workflows.Activities.Approvals;

/// <summary>
/// What an assignee submits to act on an approval task (the payload that resumes its bookmark):
/// <c>{"action","userId","comment","fields":{..},"toStep","users":[..],"position":"before|after"}</c>.
/// </summary>
public sealed record ApprovalRequest(
    string? Action,
    string? UserId,
    string? Comment,
    JsonObject? Fields,
    string? ToStep,
    IReadOnlyList<string> Users,
    string? Position)
{
    public static ApprovalRequest Parse(JsonNode? payload)
    {
        var o = payload as JsonObject;
        return new ApprovalRequest(
            Str(o?["action"]),
            Str(o?["userId"]),
            o?["comment"] is { } c && c.GetValueKind() != JsonValueKind.Null ? ValueConverter.AsString(c) : null,
            o?["fields"] as JsonObject,
            Str(o?["toStep"]),
            AssigneeRule.StringsOf(o?["users"]),
            Str(o?["position"]));
    }

    /// <summary>
    /// True for approve and reject: only a decision carries form values (they are checked, then stored in
    /// variables); the "fields" of any other action are ignored.
    /// </summary>
    public bool Decides => Action is ApprovalActions.Approve or ApprovalActions.Reject;

    private static string? Str(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetValue<string>())
            ? v.GetValue<string>().Trim()
            : null;
}
