using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Workflows.Activities.Publicities;
using Workflows.Engine.Execution;
using Workflows.Engine.Expressions;
using Workflows.Host.Api;
using Workflows.Host.Features.Auth;
using Workflows.Host.Runtime;
using Workflows.Persistence;

namespace Workflows.Host.Features.Processes;

/// <summary>
/// Notices (公示) of Workflows.Publicity steps and named objections (实名异议) to them: for signed-in users, and for
/// anyone with the notice's access code (the public page/endpoint). An objection resumes the notice's objection bookmark;
/// bad input is refused with a ProblemDetails naming the field and nothing changes.
/// </summary>
public static class PublicityApi
{
    public static IEndpointRouteBuilder MapPublicityApi(this IEndpointRouteBuilder app)
    {
        var signedIn = app.MapGroup("/api/publicity").WithTags("Publicity").RequireAuthorization(AuthPolicies.SignedIn);
        signedIn.MapGet("/{noticeId}", GetAsync);
        signedIn.MapPost("/{noticeId}/objections", ObjectAsync);
        var anonymous = app.MapGroup("/api/public/publicity").WithTags("Publicity").AllowAnonymous();
        anonymous.MapGet("/{noticeId}", GetPublicAsync);
        anonymous.MapPost("/{noticeId}/objections", ObjectPublicAsync);
        return app;
    }

    /// <summary>GET /api/publicity/{noticeId}: the notice for a signed-in user (the access code only for bureau staff).</summary>
    public static async Task<IResult> GetAsync(string noticeId, HttpContext http, WorkflowsDbContext db, CancellationToken ct)
    {
        var (notice, error) = await FindAsync(db, noticeId, ct);
        if (error is not null) return error;
        return TypedResults.Ok(await ViewAsync(db, notice!, http.User.IsBureauStaff(), ct));
    }

    /// <summary>GET /api/public/publicity/{noticeId}?code=: the notice for anyone who has its access code.</summary>
    public static async Task<IResult> GetPublicAsync(string noticeId, string? code, WorkflowsDbContext db, CancellationToken ct)
    {
        var (notice, error) = await FindAsync(db, noticeId, ct);
        if (error is not null) return error;
        if (CodeProblem(notice!, code) is { } wrong) return wrong;
        return TypedResults.Ok(await ViewAsync(db, notice!, withCode: false, ct));
    }

    /// <summary>
    /// POST /api/publicity/{noticeId}/objections {nomineeId, facts, attachments?, objectorPhone?, objectorEmail?}: a signed-in
    /// user objects under their own name; the result reaches them as a notification.
    /// </summary>
    public static async Task<IResult> ObjectAsync(string noticeId, HttpContext http, WorkflowsDbContext db, WorkflowRuntime runtime, CancellationToken ct)
    {
        if (http.User.UserId() is not { } me) return TypedResults.Problem(statusCode: 401, title: "请先登录 / Sign in first");
        var (body, bodyError) = await ProblemResults.ReadObjectAsync(http.Request);
        if (bodyError is not null) return bodyError;
        var name = await db.Users.AsNoTracking().Where(u => u.Id == me).Select(u => u.Name).SingleOrDefaultAsync(ct) ?? me;
        var payload = Payload(body!, name, me);
        return await FileAsync(noticeId, payload, http, db, runtime, ct);
    }

    /// <summary>
    /// POST /api/public/publicity/{noticeId}/objections {code, objectorName, objectorPhone | objectorEmail, nomineeId, facts, attachments?}:
    /// an objection by someone who is not signed in: named, with a phone number or an email address for the answer.
    /// </summary>
    public static async Task<IResult> ObjectPublicAsync(string noticeId, HttpContext http, WorkflowsDbContext db, WorkflowRuntime runtime, CancellationToken ct)
    {
        var (body, bodyError) = await ProblemResults.ReadObjectAsync(http.Request);
        if (bodyError is not null) return bodyError;
        var (notice, error) = await FindAsync(db, noticeId, ct);
        if (error is not null) return error;
        if (CodeProblem(notice!, body!["code"] is JsonValue c && c.TryGetValue<string>(out var code) ? code : null) is { } wrong) return wrong;
        var payload = Payload(body!, body!["objectorName"] is JsonValue n && n.TryGetValue<string>(out var name) ? name : null, null);
        return await FileAsync(noticeId, payload, http, db, runtime, ct);
    }

    private static JsonObject Payload(JsonObject body, string? objectorName, string? userId)
    {
        var payload = new JsonObject
        {
            ["objectorName"] = objectorName,
            ["objectorUserId"] = userId,
            ["nomineeId"] = body["nomineeId"]?.DeepClone(),
            ["facts"] = body["facts"]?.DeepClone(),
            ["objectorPhone"] = body["objectorPhone"]?.DeepClone(),
            ["objectorEmail"] = body["objectorEmail"]?.DeepClone(),
        };
        if (body["attachments"] is { } attachments) payload["attachments"] = attachments.DeepClone();
        return payload;
    }

    private static async Task<IResult> FileAsync(string noticeId, JsonObject payload, HttpContext http, WorkflowsDbContext db, WorkflowRuntime runtime,
        CancellationToken ct)
    {
        var instanceId = PublicityNotices.InstanceIdOf(noticeId);
        var json = instanceId is null ? null
            : await db.Instances.AsNoTracking().Where(i => i.Id == instanceId).Select(i => i.StateJson).SingleOrDefaultAsync(ct);
        var state = json is null ? null : WorkflowState.FromJson(json);
        if (state is null || PublicityNotices.Find(state, noticeId) is not { } notice)
            return TypedResults.Problem(statusCode: 404, title: "公示不存在 / No such notice", detail: $"公示“{noticeId}”不存在 / Notice '{noticeId}' does not exist.");
        var bookmark = state.Status == WorkflowStatus.Running
            ? state.Bookmarks.FirstOrDefault(b => b.Kind == Publicity.ObjectionKind && b.Stimulus == noticeId)
            : null;
        if (bookmark is null)
            return TypedResults.Problem(statusCode: 409, title: "公示期已结束，不再受理异议 / The publicity window has closed",
                detail: $"公示期至 {notice["windowEnd"]} / The window ended at {notice["windowEnd"]}.");
        var nominees = (notice["nominees"] as JsonArray ?? []).Select(PublicityNominees.IdOf).OfType<string>();
        var withdrawn = (notice["withdrawn"] as JsonArray ?? []).Select(ValueConverter.AsString).OfType<string>();
        var errors = PublicityObjection.Validate(payload, nominees, withdrawn);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors.ToDictionary(e => e.Key, e => new[] { e.Value }), title: "异议填写有误 / The objection has errors");

        try
        {
            var outcome = await runtime.ResumeAsync(instanceId!, bookmark.Id, payload, ProblemResults.ActorOf(http), ct);
            if (outcome.Result.Journal.Any(j => j.Event == PublicityJournalEvents.ObjectionRefused))
                return TypedResults.Problem(statusCode: 400, title: "异议未被受理 / The objection was refused",
                    detail: outcome.Result.Journal.First(j => j.Event == PublicityJournalEvents.ObjectionRefused).Summary);
            var saved = PublicityNotices.Find(outcome.State, noticeId);
            var filed = (saved?["objections"] as JsonArray ?? []).LastOrDefault() as JsonObject;
            return TypedResults.Created($"/api/publicity/{noticeId}", new
            {
                noticeId, objectionId = filed?["id"]?.ToString(), status = filed?["status"]?.ToString() ?? PublicityObjectionStatus.Open,
                filedAt = filed?["filedAt"]?.ToString(),
                message = "异议已受理，核查结果将通知您 / The objection was received; you will be told the result.",
            });
        }
        catch (RuntimeException ex) when (ex.Status == 409)
        {
            return TypedResults.Problem(statusCode: 409, title: "公示期已结束，不再受理异议 / The publicity window has closed", detail: ex.Message);
        }
    }

    private static async Task<(JsonObject? Notice, IResult? Error)> FindAsync(WorkflowsDbContext db, string noticeId, CancellationToken ct)
    {
        var notFound = TypedResults.Problem(statusCode: 404, title: "公示不存在 / No such notice", detail: $"公示“{noticeId}”不存在 / Notice '{noticeId}' does not exist.");
        if (PublicityNotices.InstanceIdOf(noticeId) is not { } instanceId) return (null, notFound);
        var json = await db.Instances.AsNoTracking().Where(i => i.Id == instanceId).Select(i => i.StateJson).SingleOrDefaultAsync(ct);
        if (json is null) return (null, notFound);
        var state = WorkflowState.FromJson(json);
        var notice = PublicityNotices.Find(state, noticeId);
        if (notice is null) return (null, notFound);
        notice = (JsonObject)notice.DeepClone();
        // A notice whose instance ended otherwise (cancelled, faulted) takes no more objections.
        if (state.Status == WorkflowStatus.Finished) notice["status"] = PublicityStatus.Closed;
        return (notice, null);
    }

    private static IResult? CodeProblem(JsonObject notice, string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
            return ProblemResults.Validation("code", "请输入公示访问码 / The access code is required.");
        var expected = Encoding.UTF8.GetBytes(notice["accessCode"]?.ToString() ?? "");
        var given = Encoding.UTF8.GetBytes(code.Trim());
        return CryptographicOperations.FixedTimeEquals(expected, given) ? null
            : TypedResults.Problem(statusCode: 403, title: "访问码不正确 / Wrong access code",
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["code"] = ["访问码不正确 / Wrong access code"] } });
    }

    private static async Task<object> ViewAsync(WorkflowsDbContext db, JsonObject notice, bool withCode, CancellationToken ct)
    {
        var items = (notice["nominees"] as JsonArray ?? []).ToList();
        var ids = items.Select(PublicityNominees.IdOf).OfType<string>().ToList();
        var users = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, u.Name, u.SchoolId }).ToListAsync(ct);
        var schoolIds = users.Select(u => u.SchoolId).OfType<string>().Distinct().ToList();
        var schools = await db.OrgUnits.AsNoTracking().Where(o => schoolIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var withdrawn = (notice["withdrawn"] as JsonArray ?? []).Select(ValueConverter.AsString).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var nominees = items.Select(node =>
        {
            var id = PublicityNominees.IdOf(node)!;
            var item = node as JsonObject;
            var user = users.FirstOrDefault(u => u.Id == id);
            return new
            {
                id,
                name = ValueConverter.AsString(item?["name"]) ?? user?.Name ?? id,
                schoolName = ValueConverter.AsString(item?["schoolName"]) ?? (user?.SchoolId is { } s ? schools.GetValueOrDefault(s) : null),
                toSchoolName = ValueConverter.AsString(item?["toSchoolName"]),
                withdrawn = withdrawn.Contains(id),
            };
        }).ToList();
        var windowEnd = DateTimeOffset.Parse(notice["windowEnd"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture);
        return new
        {
            id = notice["id"]?.ToString(),
            title = notice["title"]?.ToString(),
            status = notice["status"]?.ToString(),
            workingDays = (int?)ValueConverter.AsDouble(notice["workingDays"]),
            windowStart = notice["windowStart"]?.ToString(),
            windowEnd = notice["windowEnd"]?.ToString(),
            lastDay = PublicityWindow.LastDay(windowEnd).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            nominees,
            objections = (notice["objections"] as JsonArray ?? []).Count,
            accessCode = withCode ? notice["accessCode"]?.ToString() : null,
            howToObject = "公示期内，对公示对象有异议的，请实名提出（姓名、联系电话或邮箱、具体事实），人事股将核查并反馈结果。",
        };
    }
}
