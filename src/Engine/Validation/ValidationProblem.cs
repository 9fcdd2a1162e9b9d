namespace Workflows.Engine.Validation;

public enum Severity { Error, Warning }

/// <summary>One problem found in a definition: where (activity id, may be null for the whole document) and a sentence.</summary>
public sealed record ValidationProblem(Severity Severity, string? ActivityId, string Message)
{
    public static ValidationProblem Error(string? activityId, string message) => new(Severity.Error, activityId, message);
    public static ValidationProblem Warning(string? activityId, string message) => new(Severity.Warning, activityId, message);

    public override string ToString() =>
        $"{(Severity == Severity.Error ? "error" : "warning")}{(ActivityId is null ? "" : $" [{ActivityId}]")}: {Message}";
}
