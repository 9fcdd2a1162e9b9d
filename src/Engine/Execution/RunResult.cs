using Workflows.Engine.Bookmarks;

namespace Workflows.Engine.Execution;

/// <summary>
/// What one run produced and what the host must persist and schedule, in one transaction:
/// the new state, bookmarks created and removed, journal entries and outgoing messages.
/// </summary>
public sealed class RunResult
{
    internal RunResult(WorkflowState state) => State = state;

    public WorkflowState State { get; }
    public List<Bookmark> CreatedBookmarks { get; } = [];
    public List<Bookmark> RemovedBookmarks { get; } = [];
    public List<JournalEntry> Journal { get; } = [];
    public List<ExecutionLogEntry> Log { get; } = [];
    public List<string> WriteLines { get; } = [];
    public List<OutgoingMessage> Messages { get; } = [];
    public int Steps { get; internal set; }

    public WorkflowStatus Status => State.Status;
    public WorkflowSubStatus SubStatus => State.SubStatus;

    /// <summary>Timers to schedule: created bookmarks with a due time.</summary>
    public IEnumerable<Bookmark> DueBookmarks => CreatedBookmarks.Where(b => b.DueAt is not null);
}
