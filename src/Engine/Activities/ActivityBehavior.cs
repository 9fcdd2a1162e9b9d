using System.Text.Json.Nodes;
using Workflows.Engine.Bookmarks;
using Workflows.Engine.Definitions;
using Workflows.Engine.Execution;
using Workflows.Engine.Validation;

namespace Workflows.Engine.Activities;

/// <summary>
/// What an activity type does. Behaviours are stateless singletons; everything an execution needs to
/// remember lives in its <see cref="ActivityRecord"/>, so it survives a save and reload.
/// </summary>
public abstract class ActivityBehavior
{
    /// <summary>The persisted type name (e.g. "Elsa.WriteLine"); never derived from the CLR type name.</summary>
    public abstract string TypeName { get; }

    public virtual string Category => "Primitives";

    /// <summary>The outcomes this activity can produce, for validation, the designer and graph export.</summary>
    public virtual IReadOnlyList<string> Ports(ActivityNode node) => ["Done"];

    /// <summary>True when the activity can wait for something outside the run (a person, a timer, an event).</summary>
    public virtual bool Waits => false;

    /// <summary>True when completing this activity completes the flowchart that holds it (Elsa's terminal nodes).</summary>
    public virtual bool IsTerminal => false;

    public abstract ValueTask ExecuteAsync(ActivityExecutionContext context);

    public virtual ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ChildCompleted child) =>
        context.CompleteAsync();

    public virtual ValueTask OnResumeAsync(ActivityExecutionContext context, Bookmark bookmark, JsonNode? payload) =>
        context.CompleteAsync();

    /// <summary>How the activity joins several inbound flowchart connections (Elsa's merge modes).</summary>
    public virtual MergeMode GetMergeMode(ActivityExecutionContext flowchart, ActivityNode node) =>
        MergeModes.Parse(node.MergeMode);

    public virtual IEnumerable<ValidationProblem> Validate(ActivityNode node, ValidationContext context) => [];
}

public sealed record ChildCompleted(ActivityRecord Record, ActivityNode Node, IReadOnlyList<string> Outcomes);
