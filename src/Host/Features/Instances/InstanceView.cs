using System.Text.Json.Nodes;
using Workflows.Engine.Execution;

namespace Workflows.Host.Features.Instances;

/// <summary>What the API shows of an instance.</summary>
public sealed record InstanceView(
    string Id, string DefinitionId, int DefinitionVersion, string Status, string SubStatus, string? CorrelationId,
    Dictionary<string, JsonNode?> Variables, JsonObject Output, IReadOnlyList<object> Bookmarks, IReadOnlyList<Incident> Incidents,
    IReadOnlyList<string>? WriteLines, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? FinishedAt)
{
    public object? Journal { get; init; }

    public static InstanceView Of(WorkflowState s, RunResult? run) => new(
        s.InstanceId, s.DefinitionId, s.DefinitionVersion, s.Status.ToString(), s.SubStatus.ToString(), s.CorrelationId,
        s.Variables, s.Output,
        s.Bookmarks.Select(b => (object)new { b.Id, b.ActivityId, b.Kind, b.Stimulus, b.DueAt }).ToList(),
        s.Incidents, run?.WriteLines, s.CreatedAt, s.UpdatedAt, s.FinishedAt);
}
