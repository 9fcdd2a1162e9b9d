using System.Reflection;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Workflows.Host.Components.Web;

/// <summary>
/// Calls a minimal-API handler (a method group such as <c>TasksApi.ActAsync</c>) the way its endpoint would bind it:
/// HttpContext/HttpRequest/ClaimsPrincipal/CancellationToken from the request, named values for route and query
/// parameters, everything else from the request's services. So a page runs exactly the API's code, and a new
/// service parameter on the handler needs no change here.
/// </summary>
public static class HandlerInvoker
{
    public static async Task<ApiResult> InvokeAsync(Delegate handler, HttpContext http, IReadOnlyDictionary<string, object?>? values = null)
    {
        var parameters = handler.Method.GetParameters();
        var args = new object?[parameters.Length];
        for (var i = 0; i < parameters.Length; i++) args[i] = Bind(parameters[i], http, values);
        var options = http.RequestServices.GetService<IOptions<JsonOptions>>()?.Value.SerializerOptions ?? JsonSerializerOptions.Web;
        try
        {
            var returned = handler.DynamicInvoke(args);
            var result = returned switch
            {
                Task<IResult> t => await t,
                IResult r => r,
                Task t => await AwaitResultAsync(t),
                _ => throw new InvalidOperationException($"{handler.Method.Name} does not return an IResult."),
            };
            return ApiResult.From(result, options);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is Runtime.RuntimeException r) { return FromRuntime(r); }
        catch (Runtime.RuntimeException r) { return FromRuntime(r); }
    }

    private static ApiResult FromRuntime(Runtime.RuntimeException ex) =>
        // The API's exception handler turns these into a ProblemDetails; so does the page.
        new(ex.Status, null, ex.Title, ex.Message, ex.Errors?.ToDictionary(e => e.Key, e => e.Value) ?? []);

    private static async Task<IResult> AwaitResultAsync(Task task)
    {
        await task;
        return task.GetType().GetProperty("Result")?.GetValue(task) as IResult
               ?? throw new InvalidOperationException("The handler's task has no IResult.");
    }

    private static object? Bind(ParameterInfo p, HttpContext http, IReadOnlyDictionary<string, object?>? values)
    {
        var type = p.ParameterType;
        if (type == typeof(HttpContext)) return http;
        if (type == typeof(HttpRequest)) return http.Request;
        if (type == typeof(HttpResponse)) return http.Response;
        if (type == typeof(ClaimsPrincipal)) return http.User;
        if (type == typeof(CancellationToken)) return http.RequestAborted;
        if (p.Name is { } name && values is not null && values.TryGetValue(name, out var value)) return value;
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string) || underlying.IsPrimitive || underlying.IsEnum || underlying == typeof(Guid))
            return p.HasDefaultValue ? p.DefaultValue : null; // an absent route/query value
        return http.RequestServices.GetService(type)
               ?? throw new InvalidOperationException($"No service of type {type.Name} for parameter '{p.Name}' of {p.Member.Name}.");
    }
}
