using System.Text.Json.Nodes;
using Workflows.Engine.Activities;
using Workflows.Engine.Bookmarks;
using Workflows.Engine.Definitions;

namespace Workflows.Engine.Execution;

/// <summary>What an activity sees while it runs: its inputs, the instance's variables, and the ways to
/// complete, wait, schedule children, write and send.</summary>
public sealed class ActivityExecutionContext
{
    private readonly WorkflowRun _run;

    internal ActivityExecutionContext(WorkflowRun run, ActivityRecord record, ActivityNode node)
    {
        _run = run;
        Record = record;
        Node = node;
    }

    public ActivityRecord Record { get; }
    public ActivityNode Node { get; }
    public WorkflowState State => _run.State;
    public WorkflowDefinition Definition => _run.Definition;
    public string InstanceId => _run.State.InstanceId;
    public DateTimeOffset Now => _run.Time.GetUtcNow();
    public TimeProvider Time => _run.Time;
    public IServiceProvider? Services => _run.Services;

    public ActivityExecutionContext? Parent =>
        Record.ParentId is { } pid && _run.TryGetRecord(pid, out var p) ? _run.ContextFor(p) : null;

    // Inputs ---------------------------------------------------------------------------------------

    public bool HasInput(string name) => Node.Raw[name] is not null;

    /// <summary>Evaluates the input named <paramref name="name"/> ({typeName, expression}) of this activity.</summary>
    public JsonNode? Evaluate(string name) => _run.Expressions.EvaluateInput(Node.Raw[name], this);

    public JsonNode? EvaluateInputOf(ActivityNode node, string name) => _run.Expressions.EvaluateInput(node.Raw[name], this);

    public string? EvaluateString(string name) => Expressions.ValueConverter.AsString(Evaluate(name));

    public bool EvaluateBool(string name) => Expressions.ValueConverter.AsBool(Evaluate(name));

    // Variables and outputs -------------------------------------------------------------------------

    public JsonNode? GetVariable(string name) => _run.GetVariable(name);
    public void SetVariable(string name, JsonNode? value) => _run.SetVariable(name, value);

    /// <summary>Records an output; when the definition binds the output to a variable, sets the variable too.</summary>
    public void SetOutput(string name, JsonNode? value) => _run.SetOutput(this, name, value);

    /// <summary>The value of the nearest enclosing loop's current item (ForEach, ParallelForEach, For).</summary>
    public JsonNode? CurrentValue()
    {
        for (var c = this; c is not null; c = c.Parent)
            if (c.Record.Properties?["currentValue"] is { } v) return v;
        return null;
    }

    // Control flow ----------------------------------------------------------------------------------

    public ValueTask CompleteAsync(params string[] outcomes) =>
        _run.CompleteAsync(Record, outcomes.Length == 0 ? ["Done"] : outcomes);

    public ValueTask CompleteAsync(IReadOnlyList<string> outcomes) => _run.CompleteAsync(Record, outcomes);

    public ActivityRecord ScheduleChild(ActivityNode child, JsonObject? properties = null) =>
        _run.Schedule(child, Record, properties);

    public IEnumerable<ActivityRecord> Children => _run.ChildrenOf(Record.Id);

    public bool HasPendingChildren => _run.ChildrenOf(Record.Id).Any();

    public void Cancel(ActivityRecord record) => _run.Cancel(record);

    /// <summary>
    /// Leaves this activity without an outcome and runs <paramref name="activityId"/> of the same flowchart instead
    /// ("return to an earlier step"). Whatever this activity waited on is dropped.
    /// </summary>
    public void MoveTo(string activityId) => _run.MoveTo(Record, activityId);

    public ActivityExecutionContext ContextFor(ActivityRecord record) => _run.ContextFor(record);

    /// <summary>Finishes the whole instance now (Elsa.Finish).</summary>
    public void FinishWorkflow() => _run.FinishWorkflow(WorkflowSubStatus.Finished, "Finished by " + Node.Id);

    public Bookmark CreateBookmark(string? stimulus = null, DateTimeOffset? dueAt = null, JsonObject? payload = null, string? kind = null) =>
        _run.CreateBookmark(this, kind ?? Node.Type, stimulus, dueAt, payload);

    /// <summary>The bookmarks this activity execution is waiting on now.</summary>
    public IEnumerable<Bookmark> Bookmarks => State.Bookmarks.Where(b => b.ActivityRecordId == Record.Id);

    /// <summary>Drops one of this activity's bookmarks (e.g. a task taken over by someone else); the others stay.</summary>
    public void RemoveBookmark(Bookmark bookmark)
    {
        if (bookmark.ActivityRecordId != Record.Id)
            throw new InvalidOperationException($"Bookmark '{bookmark.Id}' belongs to another activity execution.");
        _run.RemoveBookmark(bookmark);
    }

    /// <summary>
    /// Puts back the bookmark being resumed, unchanged and with the same id, as if it had never been resumed
    /// (e.g. a person's action was refused). The host sees neither a removed nor a created bookmark.
    /// </summary>
    public void KeepBookmark(Bookmark bookmark)
    {
        if (bookmark.ActivityRecordId != Record.Id)
            throw new InvalidOperationException($"Bookmark '{bookmark.Id}' belongs to another activity execution.");
        _run.RestoreBookmark(Record, bookmark);
    }

    public ActivityFaultException Fault(string message) => new(message);

    // Side effects the host carries out after commit -------------------------------------------------

    public void WriteLine(string text) => _run.WriteLine(text);
    public void Send(OutgoingMessage message) => _run.Result.Messages.Add(message);
    public void Journal(string evt, string? summary) => _run.Journal(evt, Node.Id, summary);

    internal WorkflowRun Run => _run;
}
