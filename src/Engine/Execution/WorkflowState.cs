using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Workflows.Engine.Bookmarks;

namespace Workflows.Engine.Execution;

/// <summary>
/// Everything an instance is: it serialises to one JSON document and back, and a run that is saved,
/// reloaded and resumed behaves exactly as one that never left memory.
/// </summary>
public sealed class WorkflowState
{
    public required string InstanceId { get; init; }
    public required string DefinitionId { get; set; }
    public int DefinitionVersion { get; set; }
    public WorkflowStatus Status { get; set; }
    public WorkflowSubStatus SubStatus { get; set; }
    public string? CorrelationId { get; set; }

    /// <summary>The user who started the instance (发起人), when a person did.</summary>
    public string? InitiatorId { get; set; }
    public JsonObject Input { get; set; } = new();
    public JsonObject Output { get; set; } = new();
    public Dictionary<string, JsonNode?> Variables { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Scheduled or waiting activity executions, in creation order.</summary>
    public List<ActivityRecord> Activities { get; set; } = [];

    /// <summary>Ids of activity records waiting to run, first to run first.</summary>
    public List<string> Queue { get; set; } = [];

    public List<Bookmark> Bookmarks { get; set; } = [];
    public List<Incident> Incidents { get; set; } = [];

    /// <summary>The last outputs of each activity, for expressions (getOutputFrom, getLastResult).</summary>
    public Dictionary<string, JsonObject> ActivityOutputs { get; set; } = new(StringComparer.Ordinal);

    public JsonNode? LastResult { get; set; }

    /// <summary>How many times each activity completed (Elsa's execution log, counted).</summary>
    public Dictionary<string, int> CompletedCounts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Instance-level private state of activity types, keyed by the type that owns it (e.g. who approved the
    /// previous approval step, for 去重). Not a variable: scripts and forms never see it.
    /// </summary>
    public JsonObject? Properties { get; set; }

    public long Sequence { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    internal string NextId(string prefix) => $"{prefix}{++Sequence}";

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static WorkflowState FromJson(string json) =>
        JsonSerializer.Deserialize<WorkflowState>(json, JsonOptions)
        ?? throw new JsonException("The instance state is empty.");

    public WorkflowState Clone() => FromJson(ToJson());
}
