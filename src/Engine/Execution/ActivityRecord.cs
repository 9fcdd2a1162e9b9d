using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Workflows.Engine.Execution;

/// <summary>An activity execution that has been scheduled and has not completed yet (persisted with the instance).</summary>
public sealed class ActivityRecord
{
    public required string Id { get; init; }
    public required string ActivityId { get; set; }
    public string? ParentId { get; init; }
    public ActivityStatus Status { get; set; }

    /// <summary>Small private state of the activity (loop index, current item, counters).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? Properties { get; set; }

    /// <summary>Flowchart tokens, for flowchart activities only.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<FlowToken>? Tokens { get; set; }

    /// <summary><see cref="Properties"/>, created on first use (not serialised: it would write them twice).</summary>
    [JsonIgnore]
    public JsonObject Props => Properties ??= new JsonObject();
}

/// <summary>A token on a flowchart connection (see docs/semantics.md).</summary>
public sealed class FlowToken
{
    public required string From { get; init; }
    public required string To { get; init; }
    public required string Port { get; init; }
    public bool Consumed { get; set; }
    public bool Blocked { get; set; }
}
