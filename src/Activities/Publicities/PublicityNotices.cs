using System.Text.Json.Nodes;
using Workflows.Engine.Execution;

namespace Workflows.Activities.Publicities;

/// <summary>
/// Where a host finds a notice (公示) by its id. A notice id is "&lt;instance id&gt;-&lt;activity record id&gt;", so
/// the instance is known from the id alone; the notice itself (title, nominees, window, access code, status,
/// objections without personal data) is kept in <see cref="WorkflowState.Properties"/> under
/// <see cref="Publicity.InstancePropertyKey"/> and stays there after the notice closed.
/// </summary>
public static class PublicityNotices
{
    public static string NewId(string instanceId, string recordId) => $"{instanceId}-{recordId}";

    /// <summary>The instance id of a notice id, or null when the id cannot be one.</summary>
    public static string? InstanceIdOf(string? noticeId)
    {
        if (string.IsNullOrWhiteSpace(noticeId) || noticeId.Length > 200) return null;
        var dash = noticeId.LastIndexOf('-');
        return dash > 0 && dash < noticeId.Length - 1 ? noticeId[..dash] : null;
    }

    /// <summary>The notice as last saved by its publicity step, or null.</summary>
    public static JsonObject? Find(WorkflowState state, string noticeId) =>
        state.Properties?[Publicity.InstancePropertyKey]?["notices"]?[noticeId] as JsonObject;

    /// <summary>Every notice of the instance.</summary>
    public static IEnumerable<JsonObject> All(WorkflowState state) =>
        (state.Properties?[Publicity.InstancePropertyKey]?["notices"] as JsonObject ?? []).Select(p => p.Value).OfType<JsonObject>();

    internal static void Save(WorkflowState state, JsonObject notice)
    {
        var properties = state.Properties ??= new JsonObject();
        if (properties[Publicity.InstancePropertyKey] is not JsonObject mine)
            properties[Publicity.InstancePropertyKey] = mine = new JsonObject();
        if (mine["notices"] is not JsonObject notices)
            mine["notices"] = notices = new JsonObject();
        notices[notice["id"]!.ToString()] = notice;
    }
}
