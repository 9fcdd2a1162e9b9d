namespace Workflows.Engine.Execution;

/// <summary>
/// A noteworthy event of a run that the host appends to the instance journal
/// (the host adds who, from where; the engine knows what and when).
/// </summary>
public sealed record JournalEntry(DateTimeOffset At, string Event, string? ActivityId, string? Summary);

/// <summary>Fine-grained activity events of one run (Started/Completed/Faulted/Cancelled), kept in memory only.</summary>
public sealed record ExecutionLogEntry(string ActivityId, string ActivityType, string Event, IReadOnlyList<string>? Outcomes = null);

public static class JournalEvents
{
    public const string WorkflowStarted = "WorkflowStarted";
    public const string WorkflowFinished = "WorkflowFinished";
    public const string WorkflowSuspended = "WorkflowSuspended";
    public const string WorkflowCancelled = "WorkflowCancelled";
    public const string WorkflowFaulted = "WorkflowFaulted";
    public const string BookmarkCreated = "BookmarkCreated";
    public const string BookmarkResumed = "BookmarkResumed";
    public const string ActivityRetried = "ActivityRetried";
    public const string TokenMoved = "TokenMoved";
    public const string Message = "Message";
}
