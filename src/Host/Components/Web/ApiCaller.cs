using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Workflows.Host.Components.Web;

/// <summary>
/// Lets a page call an API handler in-process, as the signed-in user, so a page and the API share one code path:
/// the same checks (who may do what), the same validation and the same journal entries. Each call gets its own
/// service scope (a fresh DbContext), as an HTTP request would.
/// </summary>
public sealed class ApiCaller(IServiceScopeFactory scopes, AuthenticationStateProvider authentication, ClientInfo client,
    IOptions<JsonOptions> json)
{
    public async Task<ClaimsPrincipal> UserAsync() => (await authentication.GetAuthenticationStateAsync()).User;

    /// <summary>Runs <paramref name="handler"/> as the signed-in user with <paramref name="body"/> as its JSON body.</summary>
    /// <param name="values">Route and query values by parameter name (e.g. <c>new() { ["id"] = taskId }</c>).</param>
    /// <param name="headers">Request headers the handler reads (e.g. Idempotency-Key).</param>
    public async Task<ApiResult> CallAsync(Delegate handler, object? body = null, Dictionary<string, object?>? values = null,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        await using var scope = scopes.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider, User = await UserAsync() };
        client.ApplyTo(http);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) http.Request.Headers[name] = value;
        if (body is not null)
        {
            var bytes = body is JsonNode node
                ? JsonSerializer.SerializeToUtf8Bytes(node, json.Value.SerializerOptions)
                : JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), json.Value.SerializerOptions);
            http.Request.Body = new MemoryStream(bytes);
            http.Request.ContentType = "application/json";
            http.Request.ContentLength = bytes.Length;
        }
        http.Request.Method = body is null ? "GET" : "POST";
        return await HandlerInvoker.InvokeAsync(handler, http, values);
    }

    /// <summary>Runs <paramref name="handler"/> as the signed-in user with <paramref name="files"/> as an uploaded form (field <c>file</c>).</summary>
    public async Task<ApiResult> CallWithFilesAsync(Delegate handler, IReadOnlyList<(string FileName, byte[] Content)> files,
        Dictionary<string, object?>? values = null)
    {
        await using var scope = scopes.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider, User = await UserAsync() };
        client.ApplyTo(http);
        http.Request.Method = "POST";
        http.Request.ContentType = "multipart/form-data; boundary=page";
        var collection = new FormFileCollection();
        foreach (var (name, content) in files)
            collection.Add(new FormFile(new MemoryStream(content), 0, content.Length, "file", name) { Headers = new HeaderDictionary() });
        http.Request.Form = new FormCollection([], collection);
        return await HandlerInvoker.InvokeAsync(handler, http, values);
    }
}

/// <summary>What an API handler answered: the status, the body as JSON, and for problems the title, detail and field errors.</summary>
public sealed record ApiResult(int Status, JsonNode? Body, string? Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    /// <summary>A problem's extension members (e.g. "problems" of an invalid definition), as JSON.</summary>
    public JsonObject? Extensions { get; init; }

    public bool Ok => Status is >= 200 and < 300;

    /// <summary>The first message for a field (the API names fields as the JSON does, e.g. "users", "fields.days").</summary>
    public string? ErrorFor(string field) =>
        Errors.FirstOrDefault(e => string.Equals(e.Key, field, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

    public static ApiResult From(IResult result, JsonSerializerOptions options)
    {
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? 200;
        switch (result)
        {
            case ProblemHttpResult problem:
                return new ApiResult(problem.StatusCode, null, problem.ProblemDetails.Title, problem.ProblemDetails.Detail,
                    problem.ProblemDetails is HttpValidationProblemDetails v ? new Dictionary<string, string[]>(v.Errors) : ErrorsOf(problem.ProblemDetails))
                {
                    Extensions = JsonSerializer.SerializeToNode(problem.ProblemDetails.Extensions, options) as JsonObject,
                };
            case ValidationProblem validation:
                return new ApiResult(validation.StatusCode, null, validation.ProblemDetails.Title, validation.ProblemDetails.Detail,
                    new Dictionary<string, string[]>(validation.ProblemDetails.Errors));
        }
        JsonNode? body = null;
        if (result is IValueHttpResult { Value: { } value })
            body = value is string s && result is ContentHttpResult ? Parse(s) : JsonSerializer.SerializeToNode(value, value.GetType(), options);
        else if (result is ContentHttpResult { ResponseContent: { } content })
            body = Parse(content);
        return new ApiResult(status, body, null, null, new Dictionary<string, string[]>());
    }

    private static Dictionary<string, string[]> ErrorsOf(Microsoft.AspNetCore.Mvc.ProblemDetails details) =>
        details.Extensions.TryGetValue("errors", out var e) && e is IDictionary<string, string[]> errors ? new(errors) : [];

    private static JsonNode? Parse(string text)
    {
        try { return JsonNode.Parse(text); }
        catch (JsonException) { return JsonValue.Create(text); }
    }
}
