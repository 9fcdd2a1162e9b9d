using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Workflows.Activities.Approvals;

/// <summary>
/// The working state of one execution of an approval step, kept in the activity record's properties so that it
/// survives a save and reload. Inputs are read once, when the step starts, and kept here.
/// </summary>
internal sealed class ApprovalStepState
{
    public string StepName { get; set; } = "";
    public string Mode { get; set; } = ApprovalModes.Sequential;
    public double Threshold { get; set; } = 0.5;
    public JsonObject? Form { get; set; }
    public List<string> Actions { get; set; } = [.. ApprovalActions.All];
    public DateTimeOffset? DueAt { get; set; }
    public int? RemindBefore { get; set; }
    public int? RemindEvery { get; set; }
    public string TimeoutAction { get; set; } = TimeoutActions.Remind;
    public JsonNode? EscalateTo { get; set; }
    public JsonNode? Cc { get; set; }
    public bool Overdue { get; set; }
    public int NextTaskId { get; set; }

    /// <summary>One seat per resolved assignee, in order; a seat's vote is its chain of tasks.</summary>
    public List<ApprovalSeat> Seats { get; set; } = [];

    public List<ApprovalDecision> Decisions { get; set; } = [];

    public IEnumerable<ApprovalTask> Tasks => Seats.SelectMany(s => s.Tasks);
    public IEnumerable<ApprovalTask> PendingTasks => Tasks.Where(t => t.State == ApprovalTaskState.Pending);

    public (ApprovalSeat Seat, ApprovalTask Task)? FindByBookmark(string bookmarkId)
    {
        foreach (var seat in Seats)
        foreach (var task in seat.Tasks)
            if (task.BookmarkId == bookmarkId && task.State == ApprovalTaskState.Pending)
                return (seat, task);
        return null;
    }

    public ApprovalTask NewTask(string userId, string? delegatedFrom = null, bool advice = false, string? addedBy = null) =>
        new() { Id = "t" + ++NextTaskId, UserId = userId, DelegatedFrom = delegatedFrom, Advice = advice, AddedBy = addedBy };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public JsonObject ToJson() => JsonSerializer.SerializeToNode(this, Json)!.AsObject();

    public static ApprovalStepState? FromJson(JsonObject? json) =>
        json is null || json.Count == 0 ? null : json.Deserialize<ApprovalStepState>(Json);

    public JsonArray DecisionsJson() => JsonSerializer.SerializeToNode(Decisions, Json)!.AsArray();
}

/// <summary>
/// One assignee's place in the step. Its tasks form a chain that must all approve, in order: signers added
/// before the assignee, the assignee, signers added after; a delegate's advice sits before the delegator.
/// </summary>
internal sealed class ApprovalSeat
{
    public List<ApprovalTask> Tasks { get; set; } = [];

    [JsonIgnore]
    public SeatVote Vote =>
        Tasks.Any(t => t is { Advice: false, State: ApprovalTaskState.Rejected }) ? SeatVote.Rejected
        : Tasks.All(t => t.State is ApprovalTaskState.Approved or ApprovalTaskState.AutoApproved or ApprovalTaskState.Advised) ? SeatVote.Approved
        : SeatVote.Open;

    /// <summary>The next task of the chain to hand out.</summary>
    public ApprovalTask? NextWaiting => Tasks.FirstOrDefault(t => t.State == ApprovalTaskState.Waiting);

    public bool HasPending => Tasks.Any(t => t.State == ApprovalTaskState.Pending);
}

internal enum SeatVote { Open, Approved, Rejected }

internal sealed class ApprovalTask
{
    public string Id { get; set; } = "";
    public string UserId { get; set; } = "";
    public string State { get; set; } = ApprovalTaskState.Waiting;
    public string? BookmarkId { get; set; }
    public string? DelegatedFrom { get; set; }
    public string? AddedBy { get; set; }

    /// <summary>A delegate's task (委派): its approve/reject is advice, then the task goes back to the delegator.</summary>
    public bool Advice { get; set; }
}

internal static class ApprovalTaskState
{
    /// <summary>Not handed out yet, or handed on (to a delegate, to signers added before) and coming back.</summary>
    public const string Waiting = "waiting";

    /// <summary>Handed out: a bookmark waits for the assignee.</summary>
    public const string Pending = "pending";

    public const string Approved = "approved";
    public const string AutoApproved = "autoApproved";
    public const string Rejected = "rejected";

    /// <summary>A delegate gave advice.</summary>
    public const string Advised = "advised";
}

/// <summary>One entry of the step's "decisions" output.</summary>
public sealed class ApprovalDecision
{
    public string UserId { get; set; } = "";
    public string Action { get; set; } = "";
    public string? Comment { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>Users handed to (transfer, delegate, addSigner, escalate).</summary>
    public List<string>? Users { get; set; }

    public string? Position { get; set; }
    public string? ToStep { get; set; }

    /// <summary>For a delegate's decision: the delegator it advises (the decision itself does not count).</summary>
    public string? AdviceFor { get; set; }
}
