namespace Workflows.Engine.Validation;

public enum Severity { Error, Warning }

/// <summary>
/// One problem found in a definition: where (activity id, may be null for the whole document) and a sentence, in
/// English (<see cref="Message"/>: logs, the CLI, API clients) and in Simplified Chinese (<see cref="MessageZh"/>: the
/// designer's readers). Both are written where the problem is raised; technical parts (a JSON parser's or a compiler's
/// reason) are quoted as they come in both.
/// </summary>
public sealed record ValidationProblem(Severity Severity, string? ActivityId, string Message, string MessageZh)
{
    public static ValidationProblem Error(string? activityId, string message, string messageZh) =>
        new(Severity.Error, activityId, message, messageZh);

    public static ValidationProblem Warning(string? activityId, string message, string messageZh) =>
        new(Severity.Warning, activityId, message, messageZh);

    /// <summary>"error [id]: English sentence" — the CLI's and the logs' line; stays English.</summary>
    public override string ToString() =>
        $"{(Severity == Severity.Error ? "error" : "warning")}{(ActivityId is null ? "" : $" [{ActivityId}]")}: {Message}";
}
