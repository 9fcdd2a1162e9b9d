using System.Text.Json.Nodes;
using Workflows.Engine.Activities;
using Workflows.Engine.Bookmarks;
using Workflows.Engine.Definitions;
using Workflows.Engine.Expressions;

namespace Workflows.Engine.Execution;

/// <summary>
/// Runs workflow instances. Host-agnostic: it never touches a database or the wall clock; each call
/// takes the state, returns the new state and what the host must persist and schedule.
/// </summary>
public sealed class WorkflowEngine(ActivityRegistry registry, WorkflowEngineOptions options, TimeProvider time, IServiceProvider? services = null)
{
    public WorkflowEngine() : this(ActivityRegistry.CreateDefault(), new WorkflowEngineOptions(), TimeProvider.System) { }

    public ActivityRegistry Registry => registry;
    public TimeProvider Time => time;

    /// <summary>Creates an instance and runs it until every path is blocked or done.</summary>
    public async ValueTask<RunResult> StartAsync(WorkflowDefinition definition, StartOptions? start = null)
    {
        start ??= new StartOptions();
        var now = time.GetUtcNow();
        var state = new WorkflowState
        {
            // Version 7: time-ordered, so new instances (and their bookmarks, whose ids start with the instance id) sit
            // together at the end of every index keyed on them instead of on random pages of it.
            InstanceId = start.InstanceId ?? Guid.CreateVersion7(now).ToString("N"),
            DefinitionId = definition.DefinitionId,
            DefinitionVersion = definition.Version,
            Status = WorkflowStatus.Running,
            SubStatus = WorkflowSubStatus.Executing,
            CorrelationId = start.CorrelationId,
            InitiatorId = start.InitiatorId,
            Input = start.Input?.DeepClone().AsObject() ?? new JsonObject(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        foreach (var v in definition.Variables)
            state.Variables[v.Name] = v.DefaultValue?.DeepClone();

        var run = NewRun(definition, state);
        run.Journal(JournalEvents.WorkflowStarted, null, $"{definition.DefinitionId} v{definition.Version}");
        run.Schedule(definition.Root, null);
        await run.DrainAsync();
        return run.Result;
    }

    /// <summary>Resumes the bookmark <paramref name="bookmarkId"/> with a payload (an event's data, a person's decision).</summary>
    public async ValueTask<RunResult> ResumeAsync(WorkflowDefinition definition, WorkflowState state, string bookmarkId, JsonNode? payload = null)
    {
        var bookmark = state.Bookmarks.FirstOrDefault(b => b.Id == bookmarkId);
        if (bookmark is null || state.Status != WorkflowStatus.Running) throw new BookmarkNotFoundException(bookmarkId);

        var run = NewRun(definition, state);
        state.SubStatus = WorkflowSubStatus.Executing;
        run.RemoveBookmark(bookmark);
        run.Journal(JournalEvents.BookmarkResumed, bookmark.ActivityId, $"{bookmark.Kind} {bookmark.Stimulus}".Trim());
        if (run.TryGetRecord(bookmark.ActivityRecordId, out var record))
        {
            record.Status = ActivityStatus.Running;
            var node = run.NodeOf(record);
            await run.Guard(record, node, b => b.OnResumeAsync(run.ContextFor(record), bookmark, payload));
        }
        await run.DrainAsync();
        return run.Result;
    }

    /// <summary>Cancels the instance: every waiting activity and bookmark is dropped.</summary>
    public RunResult Cancel(WorkflowDefinition definition, WorkflowState state, string? reason = null)
    {
        if (state.Status == WorkflowStatus.Finished)
            throw new InvalidOperationException($"Instance {state.InstanceId} is already {state.SubStatus}.");
        var run = NewRun(definition, state);
        run.FinishWorkflow(WorkflowSubStatus.Cancelled, reason);
        return run.Result;
    }

    /// <summary>Runs the faulted activities of a faulted instance again.</summary>
    public async ValueTask<RunResult> RetryAsync(WorkflowDefinition definition, WorkflowState state)
    {
        var faulted = state.Activities.Where(a => a.Status == ActivityStatus.Faulted).ToList();
        if (state.SubStatus != WorkflowSubStatus.Faulted || faulted.Count == 0)
            throw new InvalidOperationException($"Instance {state.InstanceId} has no faulted activity to retry.");
        var run = NewRun(definition, state);
        state.Status = WorkflowStatus.Running;
        state.SubStatus = WorkflowSubStatus.Executing;
        state.FinishedAt = null;
        foreach (var record in faulted)
        {
            record.Status = ActivityStatus.Pending;
            state.Queue.Insert(0, record.Id);
            run.Journal(JournalEvents.ActivityRetried, record.ActivityId, null);
        }
        await run.DrainAsync();
        return run.Result;
    }

    /// <summary>
    /// Moves the token(s) at <paramref name="fromActivityId"/> to <paramref name="toActivityId"/> (same flowchart):
    /// whatever waits at the first is dropped and the second is scheduled. Used for "return to an earlier step"
    /// and for moving running instances to a new version.
    /// </summary>
    public async ValueTask<RunResult> MoveTokenAsync(WorkflowDefinition definition, WorkflowState state, string fromActivityId, string toActivityId)
    {
        if (state.Status == WorkflowStatus.Finished && state.SubStatus != WorkflowSubStatus.Faulted)
            throw new InvalidOperationException($"Instance {state.InstanceId} is {state.SubStatus}; nothing to move.");
        var target = definition.Find(toActivityId) ?? throw new ArgumentException($"Activity '{toActivityId}' is not in the definition.", nameof(toActivityId));
        var sources = state.Activities.Where(a => a.ActivityId == fromActivityId).ToList();
        if (sources.Count == 0)
            throw new ArgumentException($"No token is at activity '{fromActivityId}'.", nameof(fromActivityId));

        var run = NewRun(definition, state);
        var scope = sources[0].ParentId is { } pid && run.TryGetRecord(pid, out var p) ? p : null;
        if (scope is null || run.NodeOf(scope) != target.Parent)
            throw new ArgumentException($"Activity '{toActivityId}' is not in the same flowchart as '{fromActivityId}'.", nameof(toActivityId));

        foreach (var source in sources) run.Cancel(source);
        scope.Tokens?.RemoveAll(t => t.To == fromActivityId);
        state.Status = WorkflowStatus.Running;
        state.SubStatus = WorkflowSubStatus.Executing;
        state.FinishedAt = null;
        run.Journal(JournalEvents.TokenMoved, toActivityId, $"{fromActivityId} -> {toActivityId}");
        run.Schedule(target, scope);
        await run.DrainAsync();
        return run.Result;
    }

    private WorkflowRun NewRun(WorkflowDefinition definition, WorkflowState state) =>
        new(definition, state, registry, options, time, services);
}

public sealed class StartOptions
{
    public string? InstanceId { get; init; }
    public string? CorrelationId { get; init; }
    public string? InitiatorId { get; init; }
    public JsonObject? Input { get; init; }
}
