using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Workflows.Engine.Execution;
using Workflows.Host.Api;
using Workflows.Host.Features.Auth;
using Workflows.Host.Runtime;
using Workflows.Persistence;

namespace Workflows.Host.Features.Instances;

public static class InstancesApi
{
    public static RouteGroupBuilder MapInstancesApi(this IEndpointRouteBuilder app)
    {
        // Anyone signed in starts instances and sees those InstanceAccess allows; operating on them is for bureau staff.
        var api = app.MapGroup("/api/instances").WithTags("Instances").RequireAuthorization(AuthPolicies.SignedIn);
        api.MapPost("/", StartAsync);
        api.MapGet("/", ListAsync);
        api.MapGet("/{id}", GetAsync);
        api.MapPost("/{id}/cancel", CancelAsync).RequireAuthorization(AuthPolicies.BureauStaff);
        api.MapPost("/{id}/retry", RetryAsync).RequireAuthorization(AuthPolicies.BureauStaff);
        api.MapPost("/{id}/move", MoveAsync).RequireAuthorization(AuthPolicies.BureauStaff);
        api.MapPost("/{id}/bookmarks/{bookmarkId}/resume", ResumeAsync).RequireAuthorization(AuthPolicies.BureauStaff);
        return api;
    }

    /// <summary>The request header that makes a start safe to retry (as in the IETF draft of the same name).</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static async Task<IResult> StartAsync(HttpContext http, WorkflowRuntime runtime, WorkflowsDbContext db, CancellationToken ct)
    {
        var (body, error) = await ProblemResults.ReadObjectAsync(http.Request);
        if (error is not null) return error;
        if (body!["definitionId"] is not JsonValue idValue || idValue.GetValueKind() != System.Text.Json.JsonValueKind.String
            || string.IsNullOrWhiteSpace(idValue.GetValue<string>()))
            return ProblemResults.Validation("definitionId", "请指定流程（definitionId，已发布流程的编号） / definitionId is required (the id of a published definition).");
        int? version = null;
        if (body["version"] is { } v)
        {
            if (v is not JsonValue vv || !vv.TryGetValue<int>(out var parsed) || parsed < 1)
                return ProblemResults.Validation("version", "版本号（version）须为 ≥ 1 的整数 / version must be a whole number ≥ 1.");
            version = parsed;
        }
        if (body["input"] is { } input && input is not JsonObject)
            return ProblemResults.Validation("input", "表单数据（input）须为 JSON 对象 / input must be a JSON object.");
        if (body["correlationId"] is { } c && (c is not JsonValue cv || cv.GetValueKind() != System.Text.Json.JsonValueKind.String))
            return ProblemResults.Validation("correlationId", "业务编号（correlationId）须为文本 / correlationId must be a string.");

        // A start whose answer was lost (a dropped connection, a Host that died after its commit) may be sent again with the
        // same Idempotency-Key: the instance it created is answered (200) instead of a second one being started.
        string? startKey = null;
        if (http.Request.Headers.TryGetValue(IdempotencyKeyHeader, out var keys))
        {
            var key = keys.ToString().Trim();
            if (key.Length is 0 or > 100 || keys.Count > 1)
                return ProblemResults.Validation(IdempotencyKeyHeader,
                    $"请求标识（{IdempotencyKeyHeader}）须为一个 1–100 个字符的值 / {IdempotencyKeyHeader} must be one value of 1 to 100 characters.");
            startKey = $"{http.User.UserId() ?? "-"}:{key}";
            if (await StartedWithAsync(db, startKey, idValue.GetValue<string>(), ct) is { } replay) return replay;
        }

        RunOutcome outcome;
        try
        {
            outcome = await runtime.StartAsync(idValue.GetValue<string>(), version, body["input"]?.DeepClone() as JsonObject,
                body["correlationId"]?.ToString(), ProblemResults.ActorOf(http), ct, startKey);
        }
        catch (DbUpdateException) when (startKey is not null)
        {
            // The same key won a concurrent start (the unique index decided): answer that instance.
            if (await StartedWithAsync(db, startKey, idValue.GetValue<string>(), ct) is { } replay) return replay;
            throw;
        }
        return TypedResults.Created($"/api/instances/{outcome.InstanceId}", InstanceView.Of(outcome.State, outcome.Result));
    }

    private static async Task<IResult?> StartedWithAsync(WorkflowsDbContext db, string startKey, string definitionId, CancellationToken ct)
    {
        var record = await db.Instances.AsNoTracking().Where(i => i.StartKey == startKey)
            .Select(i => new { i.DefinitionId, i.StateJson }).SingleOrDefaultAsync(ct);
        if (record is null) return null;
        if (record.DefinitionId != definitionId)
            return TypedResults.Problem(statusCode: 409, title: "该请求标识已用于发起其他流程 / This Idempotency-Key was used for another start",
                detail: $"该请求标识已发起过流程“{record.DefinitionId}”的实例 / {IdempotencyKeyHeader} already started an instance of '{record.DefinitionId}'.");
        return TypedResults.Ok(InstanceView.Of(WorkflowState.FromJson(record.StateJson), null));
    }

    public static async Task<IResult> ListAsync(HttpContext http, WorkflowsDbContext db, string? definitionId, string? status, string? subStatus,
        string? correlationId, int? page, int? pageSize, CancellationToken ct)
    {
        if (page is < 1) return ProblemResults.Validation("page", "page 必须 ≥ 1 / page must be ≥ 1.");
        if (pageSize is < 1 or > 500) return ProblemResults.Validation("pageSize", "pageSize 必须在 1–500 之间 / pageSize must be from 1 to 500.");
        if (status is not null && !Enum.TryParse<WorkflowStatus>(status, true, out _))
            return ProblemResults.Validation("status", "状态（status）必须是 Running（进行中）或 Finished（已结束） / status must be Running or Finished.");
        if (subStatus is not null && !Enum.TryParse<WorkflowSubStatus>(subStatus, true, out _))
            return ProblemResults.Validation("subStatus",
                "子状态（subStatus）必须是 Executing（执行中）、Suspended（等待中）、Finished（完成）、Cancelled（取消）或 Faulted（出错） / subStatus must be Executing, Suspended, Finished, Cancelled or Faulted.");

        var query = await db.Instances.AsNoTracking().VisibleToAsync(http.User, db, ct);
        if (definitionId is not null) query = query.Where(i => i.DefinitionId == definitionId);
        if (status is not null) { var s = Enum.Parse<WorkflowStatus>(status, true).ToString(); query = query.Where(i => i.Status == s); }
        if (subStatus is not null) { var s = Enum.Parse<WorkflowSubStatus>(subStatus, true).ToString(); query = query.Where(i => i.SubStatus == s); }
        if (correlationId is not null) query = query.Where(i => i.CorrelationId == correlationId);
        var size = pageSize ?? 50;
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(i => i.UpdatedAt).Skip(((page ?? 1) - 1) * size).Take(size)
            .Select(i => new { id = i.Id, i.DefinitionId, i.DefinitionVersion, i.Status, i.SubStatus, i.CorrelationId, i.CreatedAt, i.UpdatedAt, i.FinishedAt, i.IncidentCount })
            .ToListAsync(ct);
        return TypedResults.Ok(new { total, page = page ?? 1, pageSize = size, items });
    }

    public static async Task<IResult> GetAsync(string id, HttpContext http, WorkflowsDbContext db, CancellationToken ct)
    {
        var record = await db.Instances.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, ct);
        if (record is null) return TypedResults.Problem(statusCode: 404, title: "未找到 / Not found",
            detail: $"流程实例“{id}”不存在 / Instance '{id}' does not exist.");
        if (!await (await db.Instances.Where(i => i.Id == id).VisibleToAsync(http.User, db, ct)).AnyAsync(ct)) return InstanceAccess.Forbidden();
        var journal = await db.Journal.AsNoTracking().Where(j => j.InstanceId == id).OrderBy(j => j.Id)
            .Select(j => new { j.At, j.Event, j.ActivityId, j.Actor, j.Summary, j.RemoteAddress }).ToListAsync(ct);
        var view = InstanceView.Of(WorkflowState.FromJson(record.StateJson), null);
        return TypedResults.Ok(view with { Journal = journal });
    }

    public static async Task<IResult> CancelAsync(string id, HttpContext http, WorkflowRuntime runtime, CancellationToken ct)
    {
        var (body, error) = await ProblemResults.ReadObjectAsync(http.Request, required: false);
        if (error is not null) return error;
        var outcome = await runtime.CancelAsync(id, body?["reason"]?.ToString(), ProblemResults.ActorOf(http), ct);
        return TypedResults.Ok(InstanceView.Of(outcome.State, outcome.Result));
    }

    public static async Task<IResult> RetryAsync(string id, HttpContext http, WorkflowRuntime runtime, CancellationToken ct)
    {
        var outcome = await runtime.RetryAsync(id, ProblemResults.ActorOf(http), ct);
        return TypedResults.Ok(InstanceView.Of(outcome.State, outcome.Result));
    }

    public static async Task<IResult> MoveAsync(string id, HttpContext http, WorkflowRuntime runtime, CancellationToken ct)
    {
        var (body, error) = await ProblemResults.ReadObjectAsync(http.Request);
        if (error is not null) return error;
        var from = body!["from"]?.ToString();
        var to = body["to"]?.ToString();
        if (string.IsNullOrWhiteSpace(from)) return ProblemResults.Validation("from", "请指定 from（当前步骤所在的节点） / from is required (the activity the token is at).");
        if (string.IsNullOrWhiteSpace(to)) return ProblemResults.Validation("to", "请指定 to（要移到的节点） / to is required (the activity to move the token to).");
        var outcome = await runtime.MoveAsync(id, from, to, ProblemResults.ActorOf(http), ct);
        return TypedResults.Ok(InstanceView.Of(outcome.State, outcome.Result));
    }

    public static async Task<IResult> ResumeAsync(string id, string bookmarkId, HttpContext http, WorkflowRuntime runtime, CancellationToken ct)
    {
        var (body, error) = await ProblemResults.ReadObjectAsync(http.Request, required: false);
        if (error is not null) return error;
        var outcome = await runtime.ResumeAsync(id, bookmarkId, body?["payload"]?.DeepClone(), ProblemResults.ActorOf(http), ct);
        return TypedResults.Ok(InstanceView.Of(outcome.State, outcome.Result));
    }
}
