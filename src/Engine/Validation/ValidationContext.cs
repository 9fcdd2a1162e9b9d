using Workflows.Engine.Activities;
using Workflows.Engine.Definitions;

namespace Workflows.Engine.Validation;

public sealed class ValidationContext(WorkflowDefinition definition, ActivityRegistry registry)
{
    public WorkflowDefinition Definition { get; } = definition;
    public ActivityRegistry Registry { get; } = registry;

    /// <summary>True when the activity, or anything inside it, can wait for the outside world.</summary>
    public bool Waits(ActivityNode node) =>
        node.DescendantsAndSelf().Any(n => Registry.Find(n.Type)?.Waits == true);
}

/// <summary>Every problem of a definition at once; it succeeded when no problem is an error.</summary>
public sealed record ValidationReport(WorkflowDefinition? Definition, IReadOnlyList<ValidationProblem> Problems)
{
    public bool Succeeded => Problems.All(p => p.Severity != Severity.Error);
    public IEnumerable<ValidationProblem> Errors => Problems.Where(p => p.Severity == Severity.Error);
    public IEnumerable<ValidationProblem> Warnings => Problems.Where(p => p.Severity == Severity.Warning);
}
