namespace Workflows.Persistence.Entities;

/// <summary>
/// A task waiting for one person (待办), or done by them (已办), or a CC (抄送). A pending task mirrors one
/// bookmark of the instance; acting on it resumes that bookmark.
/// </summary>
public class HumanTask
{
    public const string KindApproval = "Approval";
    public const string KindCc = "Cc";

    public string Id { get; set; } = "";
    public string InstanceId { get; set; } = "";
    public string? BookmarkId { get; set; }
    public string DefinitionId { get; set; } = "";
    public string ActivityId { get; set; } = "";
    public string StepName { get; set; } = "";
    public string Kind { get; set; } = KindApproval;
    public string AssigneeId { get; set; } = "";
    public string? InitiatorId { get; set; }
    /// <summary>Pending, Done, Cancelled.</summary>
    public string Status { get; set; } = "Pending";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    /// <summary>What the assignee did: approve, reject, return, transfer, delegate…</summary>
    public string? Action { get; set; }
    public string? Comment { get; set; }
    /// <summary>Who handed the task over (transfer/delegate), for the history.</summary>
    public string? DelegatedFromId { get; set; }
    /// <summary>Step form, allowed actions and other details from the activity.</summary>
    public string? PayloadJson { get; set; }
}
