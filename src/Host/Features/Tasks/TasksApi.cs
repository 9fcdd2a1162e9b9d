using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Workflows.Host.Api;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Features.Tasks;

public static partial class TasksApi
{
    public static RouteGroupBuilder MapTasksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tasks").WithTags("Tasks");
        api.MapGet("/", ListAsync);
        api.MapGet("/{id}", GetAsync);
        api.MapPost("/{id}/actions", ActAsync);
        var requests = app.MapGroup("/api/requests").WithTags("Requests");
        requests.MapGet("/", MyRequestsAsync);
        requests.MapPost("/{id}/withdraw", WithdrawAsync);
        requests.MapPost("/{id}/urge", UrgeAsync);
        return api;
    }

    internal static string? UserId(this HttpContext http) => http.User.FindFirstValue(ClaimTypes.NameIdentifier);

    internal static bool IsAdministrator(this HttpContext http) =>
        http.User.IsInRole("BureauAdmin") || http.User.IsInRole("BureauPersonnel");

    internal static IResult Unauthenticated() => TypedResults.Problem(statusCode: 401, title: "请先登录 / Sign in first");

    /// <summary>GET /api/tasks?status=pending|done|cc: my tasks, newest first.</summary>
    public static async Task<IResult> ListAsync(HttpContext http, WorkflowsDbContext db, string? status, string? definitionId,
        int? page, int? pageSize, CancellationToken ct)
    {
        if (http.UserId() is not { } me) return Unauthenticated();
        status ??= "pending";
        if (status is not ("pending" or "done" or "cc"))
            return ProblemResults.Validation("status", "status 必须是 pending、done 或 cc / status must be pending, done or cc.");
        if (page is < 1) return ProblemResults.Validation("page", "page 必须 ≥ 1 / page must be ≥ 1.");
        if (pageSize is < 1 or > 200) return ProblemResults.Validation("pageSize", "pageSize 必须在 1–200 之间 / pageSize must be 1–200.");

        var query = db.Tasks.AsNoTracking().Where(t => t.AssigneeId == me);
        query = status switch
        {
            "pending" => query.Where(t => t.Kind == HumanTask.KindApproval && t.Status == "Pending"),
            "done" => query.Where(t => t.Kind == HumanTask.KindApproval && t.Status != "Pending"),
            _ => query.Where(t => t.Kind == HumanTask.KindCc),
        };
        if (definitionId is not null) query = query.Where(t => t.DefinitionId == definitionId);
        var size = pageSize ?? 50;
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(t => t.CreatedAt).Skip(((page ?? 1) - 1) * size).Take(size)
            .Select(t => new { t.Id, t.InstanceId, t.DefinitionId, t.StepName, t.Kind, t.Status, t.CreatedAt, t.DueAt, t.CompletedAt, t.Action, t.InitiatorId })
            .ToListAsync(ct);
        return TypedResults.Ok(new { total, page = page ?? 1, pageSize = size, items });
    }

    /// <summary>GET /api/requests: instances I started.</summary>
    public static async Task<IResult> MyRequestsAsync(HttpContext http, WorkflowsDbContext db, int? page, int? pageSize, CancellationToken ct)
    {
        if (http.UserId() is not { } me) return Unauthenticated();
        if (page is < 1) return ProblemResults.Validation("page", "page 必须 ≥ 1 / page must be ≥ 1.");
        if (pageSize is < 1 or > 200) return ProblemResults.Validation("pageSize", "pageSize 必须在 1–200 之间 / pageSize must be 1–200.");
        var size = pageSize ?? 50;
        var query = db.Instances.AsNoTracking().Where(i => i.InitiatorId == me);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(i => i.CreatedAt).Skip(((page ?? 1) - 1) * size).Take(size)
            .Select(i => new
            {
                i.Id, i.DefinitionId, i.DefinitionVersion, i.Status, i.SubStatus, i.CreatedAt, i.UpdatedAt, i.FinishedAt,
                pending = db.Tasks.Where(t => t.InstanceId == i.Id && t.Status == "Pending").Select(t => new { t.Id, t.StepName, t.AssigneeId, t.DueAt }).ToList(),
            })
            .ToListAsync(ct);
        return TypedResults.Ok(new { total, page = page ?? 1, pageSize = size, items });
    }

    private static List<string> Strings(JsonNode? node) =>
        node is JsonArray a ? a.Select(x => x is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToList() : [];
}
