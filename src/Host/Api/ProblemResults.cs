using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Diagnostics;
using Workflows.Engine.Validation;
using Workflows.Host.Runtime;

namespace Workflows.Host.Api;

/// <summary>
/// Every error the API gives is a ProblemDetails; bad input names its field. Titles, details and field messages say
/// "中文 / English" (the UI shows the reader's half).
/// </summary>
public static class ProblemResults
{
    public static IResult Validation(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: InvalidRequest);

    /// <summary>The title of a 400 that names its fields.</summary>
    public const string InvalidRequest = "请求有误 / Invalid request";

    public static IResult Definition(ValidationReport report) => TypedResults.Problem(new()
    {
        Status = 400,
        Title = "流程定义有误 / The definition is not valid",
        Detail = string.Join(" ", report.Errors.Select(ZhLine)) + " / " + string.Join(" ", report.Errors.Select(e => e.ToString())),
        Extensions = { ["problems"] = report.Problems.Select(Shape).ToList() },
    });

    /// <summary>A definition problem's Chinese line, as <see cref="ValidationProblem.ToString"/> is its English one.</summary>
    private static string ZhLine(ValidationProblem p) =>
        $"{(p.Severity == Severity.Error ? "错误" : "提醒")}{(p.ActivityId is null ? "" : $" [{p.ActivityId}]")}：{p.MessageZh.Replace(" / ", "/")}";

    /// <summary>How a definition problem is written in the API: <c>message</c> in English, <c>messageZh</c> in Simplified Chinese.</summary>
    public static object Shape(ValidationProblem p) =>
        new { severity = p.Severity.ToString().ToLowerInvariant(), activityId = p.ActivityId, message = p.Message, messageZh = p.MessageZh };

    /// <summary>The OpenAPI description of the endpoints that answer with definition problems.</summary>
    public const string ProblemsDescription =
        "Each problem is {severity: \"error\"|\"warning\", activityId: the activity's id or null for the whole definition, " +
        "message: the sentence in English, messageZh: the same sentence in Simplified Chinese (简体中文)}. " +
        "An invalid definition is refused with a 400 ProblemDetails that lists them in \"problems\".";

    /// <summary>Reads the request body as a JSON object; null body is allowed when <paramref name="required"/> is false.</summary>
    public static async Task<(JsonObject? Body, IResult? Error)> ReadObjectAsync(HttpRequest request, bool required = true)
    {
        string text;
        using (var reader = new StreamReader(request.Body)) text = await reader.ReadToEndAsync();
        if (string.IsNullOrWhiteSpace(text))
            return required ? (null, Validation("body", BodyNotObject)) : (null, null);
        try
        {
            return JsonNode.Parse(text) is JsonObject o ? (o, null) : (null, Validation("body", BodyNotObject));
        }
        catch (JsonException ex)
        {
            return (null, Validation("body", $"请求内容不是有效的 JSON（第 {(ex.LineNumber ?? 0) + 1} 行第 {(ex.BytePositionInLine ?? 0) + 1} 个字符） / The request body is not valid JSON (line {(ex.LineNumber ?? 0) + 1}, position {(ex.BytePositionInLine ?? 0) + 1})."));
        }
    }

    private const string BodyNotObject = "请求内容须为 JSON 对象 / The request body must be a JSON object.";

    /// <summary>The signed-in user (their id becomes the initiator of an instance they start), or "anonymous".</summary>
    public static Actor ActorOf(HttpContext http) =>
        new(http.User.Identity?.Name ?? "anonymous", http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString(),
            Features.Auth.CurrentUser.UserId(http.User));
}

/// <summary>Maps runtime refusals to their status; anything unexpected stays a 500 with no internals shown.</summary>
public sealed class RuntimeExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var (status, title, detail, errors) = exception switch
        {
            RuntimeException r => (r.Status, r.Title, r.Message, r.Errors),
            BadHttpRequestException b => (b.StatusCode, "请求有误 / Bad request",
                (b.StatusCode == StatusCodes.Status413PayloadTooLarge ? "请求内容过大" : "请求内容无法读取") + " / " + b.Message, null),
            _ => (0, "", "", null),
        };
        if (status == 0) return false;
        http.Response.StatusCode = status;
        var details = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail };
        if (errors is not null) details.Extensions["errors"] = errors;
        return await problems.TryWriteAsync(new() { HttpContext = http, ProblemDetails = details, Exception = exception });
    }
}
