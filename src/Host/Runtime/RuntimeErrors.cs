namespace Workflows.Host.Runtime;

/// <summary>A request the runtime refuses; the API turns it into a ProblemDetails with this status.</summary>
public class RuntimeException(int status, string title, string detail, IDictionary<string, string[]>? errors = null) : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public IDictionary<string, string[]>? Errors { get; } = errors;

    public static RuntimeException NotFound(string what) => new(404, "Not found", what);
    public static RuntimeException Conflict(string detail) => new(409, "Conflict", detail);
    public static RuntimeException Invalid(string field, string message) =>
        new(400, "Invalid request", message, new Dictionary<string, string[]> { [field] = [message] });
}
