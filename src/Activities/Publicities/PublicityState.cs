using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Workflows.Activities.Publicities;

/// <summary>
/// The working state of one execution of a publicity step (公示), kept in the activity record's properties so that
/// it survives a save and reload: the notice as published, the objections and their investigation tasks.
/// </summary>
internal sealed class PublicityState
{
    public string NoticeId { get; set; } = "";
    public string Title { get; set; } = "";

    /// <summary>The nominees as the input gave them (ids or objects with an "id"), in order, without duplicates.</summary>
    public JsonArray Nominees { get; set; } = [];

    public int WorkingDays { get; set; }
    public DateTimeOffset WindowStart { get; set; }
    public DateTimeOffset WindowEnd { get; set; }
    public string AccessCode { get; set; } = "";
    public bool WindowClosed { get; set; }
    public JsonNode? Investigators { get; set; }
    public int? InvestigationDueWorkingDays { get; set; }
    public int NextId { get; set; }
    public List<PublicityObjectionRecord> Objections { get; set; } = [];

    [JsonIgnore]
    public IEnumerable<string> NomineeIds => Nominees.Select(PublicityNominees.IdOf).OfType<string>();

    [JsonIgnore]
    public IReadOnlyList<string> Withdrawn =>
        [.. Objections.Where(o => o.Status == PublicityObjectionStatus.Upheld).Select(o => o.NomineeId).Distinct(StringComparer.Ordinal)];

    [JsonIgnore]
    public bool HasOpenObjections => Objections.Any(o => o.Status == PublicityObjectionStatus.Open);

    public string Status => !WindowClosed ? PublicityStatus.Open : HasOpenObjections ? PublicityStatus.Reviewing : PublicityStatus.Closed;

    public string NewId(string prefix) => prefix + ++NextId;

    public (PublicityObjectionRecord Objection, PublicityInvestigationTask Task)? FindTask(string bookmarkId)
    {
        foreach (var objection in Objections)
        foreach (var task in objection.Tasks)
            if (task.BookmarkId == bookmarkId) return (objection, task);
        return null;
    }

    /// <summary>The notice as the host and the definition see it (output "notice"); with the access code.</summary>
    public JsonObject Notice()
    {
        var withdrawn = Withdrawn;
        return new JsonObject
        {
            ["id"] = NoticeId,
            ["title"] = Title,
            ["nominees"] = Nominees.DeepClone(),
            ["workingDays"] = WorkingDays,
            ["windowStart"] = Iso(WindowStart),
            ["windowEnd"] = Iso(WindowEnd),
            ["accessCode"] = AccessCode,
            ["status"] = Status,
            ["withdrawn"] = new JsonArray([.. withdrawn.Select(w => (JsonNode)w)]),
            ["objections"] = new JsonArray([.. Objections.Select(o => (JsonNode)new JsonObject
            {
                ["id"] = o.Id, ["nomineeId"] = o.NomineeId, ["status"] = o.Status, ["filedAt"] = Iso(o.FiledAt),
                ["decidedAt"] = o.DecidedAt is { } d ? Iso(d) : null,
            })]),
        };
    }

    /// <summary>Every objection with its decision (output "objections"; names and facts included).</summary>
    public JsonArray ObjectionsJson() => JsonSerializer.SerializeToNode(Objections, Json)!.AsArray();

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public JsonObject ToJson() => JsonSerializer.SerializeToNode(this, Json)!.AsObject();

    public static PublicityState? FromJson(JsonObject? json) =>
        json is null || json.Count == 0 ? null : json.Deserialize<PublicityState>(Json);

    internal static string Iso(DateTimeOffset at) => at.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>One objection (异议) filed during the window, and what the investigation decided.</summary>
internal sealed class PublicityObjectionRecord
{
    public string Id { get; set; } = "";
    public string NomineeId { get; set; } = "";
    public string ObjectorName { get; set; } = "";
    public string? ObjectorUserId { get; set; }
    public string? ObjectorPhone { get; set; }
    public string? ObjectorEmail { get; set; }
    public string Facts { get; set; } = "";
    public JsonArray? Attachments { get; set; }
    public DateTimeOffset FiledAt { get; set; }
    public string Status { get; set; } = PublicityObjectionStatus.Open;
    public string? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? Finding { get; set; }
    public string? Comment { get; set; }
    public List<PublicityInvestigationTask> Tasks { get; set; } = [];
}

/// <summary>An investigation task (异议核查) of one investigator for one objection.</summary>
internal sealed class PublicityInvestigationTask
{
    public string Id { get; set; } = "";
    public string UserId { get; set; } = "";
    public string? BookmarkId { get; set; }
}

/// <summary>Values of a notice's "status".</summary>
public static class PublicityStatus
{
    /// <summary>The window is open: objections are accepted.</summary>
    public const string Open = "open";

    /// <summary>The window has ended; objections filed in time are still being investigated.</summary>
    public const string Reviewing = "reviewing";

    /// <summary>Over: the approved nominees are final.</summary>
    public const string Closed = "closed";
}

/// <summary>Values of an objection's "status".</summary>
public static class PublicityObjectionStatus
{
    public const string Open = "open";

    /// <summary>The investigation found the objection justified: the nominee is withdrawn.</summary>
    public const string Upheld = "upheld";

    /// <summary>The investigation found the objection unfounded: nothing changes.</summary>
    public const string Dismissed = "dismissed";
}
