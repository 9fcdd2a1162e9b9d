using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using Workflows.Engine.Activities;
using Workflows.Engine.Bookmarks;
using Workflows.Engine.Definitions;
using Workflows.Engine.Expressions;

namespace Workflows.Engine.Execution;

/// <summary>
/// One run of one instance: drains the queue of scheduled activities until every path is blocked or done.
/// Everything it changes is in <see cref="State"/>; everything the host must do afterwards is in <see cref="Result"/>.
/// </summary>
internal sealed partial class WorkflowRun
{
    private readonly Dictionary<string, ActivityRecord> _records = new(StringComparer.Ordinal);
    private readonly ActivityRegistry _registry;
    private readonly WorkflowEngineOptions _options;

    public WorkflowRun(WorkflowDefinition definition, WorkflowState state, ActivityRegistry registry,
        WorkflowEngineOptions options, TimeProvider time, IServiceProvider? services)
    {
        Definition = definition;
        State = state;
        _registry = registry;
        _options = options;
        Time = time;
        Services = services;
        Result = new RunResult(state);
        Expressions = new ExpressionEvaluator(this, options.Scripts);
        foreach (var r in state.Activities) _records[r.Id] = r;
    }

    public WorkflowDefinition Definition { get; }
    public WorkflowState State { get; }
    public TimeProvider Time { get; }
    public IServiceProvider? Services { get; }
    public RunResult Result { get; }
    public ExpressionEvaluator Expressions { get; }

    private bool IsExecuting => State is { Status: WorkflowStatus.Running, SubStatus: WorkflowSubStatus.Executing };

    public bool TryGetRecord(string id, [NotNullWhen(true)] out ActivityRecord? record) => _records.TryGetValue(id, out record);

    public IEnumerable<ActivityRecord> ChildrenOf(string parentId) => State.Activities.Where(r => r.ParentId == parentId);

    public ActivityExecutionContext ContextFor(ActivityRecord record) => new(this, record, NodeOf(record));

    public ActivityNode NodeOf(ActivityRecord record) =>
        Definition.Find(record.ActivityId)
        ?? throw new InvalidOperationException($"Activity '{record.ActivityId}' is not in definition {Definition.DefinitionId} v{Definition.Version}.");

    public ActivityBehavior BehaviorOf(ActivityNode node) =>
        _registry.Find(node.Type) ?? throw new ActivityFaultException($"Unknown activity type '{node.Type}'.");

    public ActivityRecord Schedule(ActivityNode node, ActivityRecord? parent, JsonObject? properties = null)
    {
        var record = new ActivityRecord
        {
            Id = State.NextId("a"),
            ActivityId = node.Id,
            ParentId = parent?.Id,
            Status = ActivityStatus.Pending,
            Properties = properties,
        };
        State.Activities.Add(record);
        _records[record.Id] = record;
        State.Queue.Add(record.Id);
        return record;
    }

    public async ValueTask DrainAsync()
    {
        while (IsExecuting && State.Queue.Count > 0)
        {
            var id = State.Queue[0];
            State.Queue.RemoveAt(0);
            if (_records.TryGetValue(id, out var record))
                await ExecuteAsync(record);
        }
        if (IsExecuting)
        {
            State.SubStatus = WorkflowSubStatus.Suspended;
            Journal(JournalEvents.WorkflowSuspended, null,
                $"Waiting on {State.Bookmarks.Count} bookmark(s): {string.Join(", ", State.Bookmarks.Select(b => b.ActivityId).Distinct())}");
        }
        State.UpdatedAt = Time.GetUtcNow();
    }

    private async ValueTask ExecuteAsync(ActivityRecord record)
    {
        var node = NodeOf(record);
        if (++Result.Steps > _options.MaxStepsPerRun)
        {
            Fault(record, node, $"The run exceeded its budget of {_options.MaxStepsPerRun} activity executions; a loop probably never waits.");
            return;
        }
        record.Status = ActivityStatus.Running;
        LogEvent(node, "Started");
        await Guard(record, node, b => b.ExecuteAsync(ContextFor(record)));
    }

    /// <summary>Runs an activity callback; an exception faults that activity and the instance.</summary>
    internal async ValueTask Guard(ActivityRecord record, ActivityNode node, Func<ActivityBehavior, ValueTask> action)
    {
        try
        {
            await action(BehaviorOf(node));
        }
        catch (ActivityFaultException ex)
        {
            Fault(record, node, ex.Message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Fault(record, node, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    public async ValueTask CompleteAsync(ActivityRecord record, IReadOnlyList<string> outcomes)
    {
        if (!_records.ContainsKey(record.Id)) return; // completed or cancelled already
        CancelChildren(record);
        Forget(record);
        var node = NodeOf(record);
        State.CompletedCounts[node.Id] = State.CompletedCounts.GetValueOrDefault(node.Id) + 1;
        LogEvent(node, "Completed", outcomes);

        if (record.ParentId is null)
        {
            FinishWorkflow(WorkflowSubStatus.Finished, null);
            return;
        }
        if (!_records.TryGetValue(record.ParentId, out var parent)) return;
        var parentNode = NodeOf(parent);
        await Guard(parent, parentNode, b => b.OnChildCompletedAsync(ContextFor(parent), new ChildCompleted(record, node, outcomes)));
    }

    public void MoveTo(ActivityRecord record, string activityId)
    {
        var target = Definition.Find(activityId) ?? throw new ActivityFaultException($"Cannot move to '{activityId}': no such activity.");
        var scope = record.ParentId is { } pid && _records.TryGetValue(pid, out var p) ? p : null;
        if (scope is null || NodeOf(scope) != target.Parent)
            throw new ActivityFaultException($"Cannot move to '{activityId}': it is not in the same flowchart as '{record.ActivityId}'.");
        Cancel(record);
        scope.Tokens?.RemoveAll(t => t.To == record.ActivityId);
        Journal(JournalEvents.TokenMoved, activityId, $"{record.ActivityId} -> {activityId}");
        Schedule(target, scope);
    }

    public void Cancel(ActivityRecord record)
    {
        if (!_records.ContainsKey(record.Id)) return;
        CancelChildren(record);
        Forget(record);
        LogEvent(NodeOf(record), "Cancelled");
    }

    private void CancelChildren(ActivityRecord record)
    {
        foreach (var child in ChildrenOf(record.Id).ToList()) Cancel(child);
    }

    private void Forget(ActivityRecord record)
    {
        _records.Remove(record.Id);
        State.Activities.Remove(record);
        State.Queue.Remove(record.Id);
        foreach (var b in State.Bookmarks.Where(b => b.ActivityRecordId == record.Id).ToList())
            RemoveBookmark(b);
    }

    public void Fault(ActivityRecord record, ActivityNode node, string message)
    {
        record.Status = ActivityStatus.Faulted;
        State.Incidents.Add(new Incident(node.Id, node.Type, message, Time.GetUtcNow(), record.Id));
        LogEvent(node, "Faulted");
        State.Status = WorkflowStatus.Finished;
        State.SubStatus = WorkflowSubStatus.Faulted;
        State.FinishedAt = Time.GetUtcNow();
        Journal(JournalEvents.WorkflowFaulted, node.Id, message);
    }

    public void FinishWorkflow(WorkflowSubStatus subStatus, string? summary)
    {
        foreach (var b in State.Bookmarks.ToList()) RemoveBookmark(b);
        State.Activities.Clear();
        _records.Clear();
        State.Queue.Clear();
        State.Status = WorkflowStatus.Finished;
        State.SubStatus = subStatus;
        State.FinishedAt = Time.GetUtcNow();
        Journal(subStatus == WorkflowSubStatus.Cancelled ? JournalEvents.WorkflowCancelled : JournalEvents.WorkflowFinished, null, summary);
    }

    public Bookmark CreateBookmark(ActivityExecutionContext context, string kind, string? stimulus, DateTimeOffset? dueAt, JsonObject? payload)
    {
        var bookmark = new Bookmark($"{State.InstanceId}-{State.NextId("b")}", State.InstanceId, context.Node.Id,
            context.Record.Id, kind, stimulus, dueAt, payload);
        State.Bookmarks.Add(bookmark);
        Result.CreatedBookmarks.Add(bookmark);
        context.Record.Status = ActivityStatus.Suspended;
        Journal(JournalEvents.BookmarkCreated, context.Node.Id,
            dueAt is null ? $"{kind} {stimulus}".Trim() : $"{kind} due {dueAt:O}");
        return bookmark;
    }

    public void RestoreBookmark(ActivityRecord record, Bookmark bookmark)
    {
        if (State.Bookmarks.Contains(bookmark)) return;
        State.Bookmarks.Add(bookmark);
        // Removed earlier in this run: the host never learns it was gone.
        if (!Result.RemovedBookmarks.Remove(bookmark)) Result.CreatedBookmarks.Add(bookmark);
        record.Status = ActivityStatus.Suspended;
    }

    public void RemoveBookmark(Bookmark bookmark)
    {
        if (!State.Bookmarks.Remove(bookmark)) return;
        // A bookmark created and removed in the same run never reaches the host.
        if (!Result.CreatedBookmarks.Remove(bookmark)) Result.RemovedBookmarks.Add(bookmark);
    }

    public void WriteLine(string text)
    {
        if (_options.CaptureWriteLines) Result.WriteLines.Add(text);
        _options.Console?.WriteLine(text);
    }

    public void Journal(string evt, string? activityId, string? summary) =>
        Result.Journal.Add(new JournalEntry(Time.GetUtcNow(), evt, activityId, summary));

    private void LogEvent(ActivityNode node, string evt, IReadOnlyList<string>? outcomes = null)
    {
        if (_options.CaptureExecutionLog) Result.Log.Add(new ExecutionLogEntry(node.Id, node.Type, evt, outcomes));
    }
}
