namespace Workflows.Host.Runtime;

/// <summary>
/// A request the runtime refuses; the API turns it into a ProblemDetails with this status. Titles and details say
/// "中文 / English", as the other API errors do (the UI shows the reader's half).
/// </summary>
public class RuntimeException(int status, string title, string detail, IDictionary<string, string[]>? errors = null) : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public IDictionary<string, string[]>? Errors { get; } = errors;

    public static RuntimeException NotFound(string what) => new(404, "未找到 / Not found", what);
    public static RuntimeException Conflict(string detail) => new(409, "操作冲突 / Conflict", detail);
    public static RuntimeException Invalid(string field, string message) =>
        new(400, "请求有误 / Invalid request", message, new Dictionary<string, string[]> { [field] = [message] });
}
