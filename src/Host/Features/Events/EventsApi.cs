using System.Text.Json.Nodes;
using Workflows.Host.Api;
using Workflows.Host.Features.Auth;
using Workflows.Host.Runtime;

namespace Workflows.Host.Features.Events;

public static class EventsApi
{
    public static RouteGroupBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        // Events come from integrations run by the bureau: BureauAdmin and BureauPersonnel.
        var api = app.MapGroup("/api/events").WithTags("Events").RequireAuthorization(AuthPolicies.BureauStaff);
        api.MapPost("/{name}", RaiseAsync);
        return api;
    }

    /// <summary>Resumes every instance waiting for the event (of the correlation id, when given).</summary>
    public static async Task<IResult> RaiseAsync(string name, HttpContext http, WorkflowRuntime runtime, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
            return ProblemResults.Validation("name", "事件名称须为 1–200 个字符 / The event name must be 1 to 200 characters.");
        var (body, error) = await ProblemResults.ReadObjectAsync(http.Request, required: false);
        if (error is not null) return error;
        if (body?["correlationId"] is { } c && (c is not JsonValue cv || cv.GetValueKind() != System.Text.Json.JsonValueKind.String))
            return ProblemResults.Validation("correlationId", "业务编号（correlationId）须为文本 / correlationId must be a string.");
        var outcomes = await runtime.RaiseEventAsync(name, body?["correlationId"]?.ToString(), body?["payload"]?.DeepClone(),
            ProblemResults.ActorOf(http), ct);
        return TypedResults.Ok(new
        {
            name,
            resumed = outcomes.Select(o => new { instanceId = o.InstanceId, status = o.State.Status.ToString(), subStatus = o.State.SubStatus.ToString() }).ToList(),
        });
    }
}
