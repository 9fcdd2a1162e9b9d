using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Workflows.Engine.Execution;
using Workflows.Engine.Expressions;
using Workflows.Host.Api;
using Workflows.Host.Components.Web;
using Workflows.Host.Features.Auth;
using Workflows.Host.Features.Dashboard;
using Workflows.Host.Runtime;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Features.Processes;

/// <summary>
/// Starting the federation's batch processes with what only the roster knows (who is eligible, who is in scope),
/// and a teacher's own application to a rotation batch. See docs/processes.md.
/// </summary>
public static class ProcessesApi
{
    public const string RotationDefinitionId = "rotation-nomination";
    public const string TrainingDefinitionId = "summer-training";

    /// <summary>The event a rotation batch waits on while it takes applications.</summary>
    public const string ApplyEvent = "rotation-apply";

    public static IEndpointRouteBuilder MapProcessesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/processes").WithTags("Processes");
        api.MapPost("/rotation/start", StartRotationAsync).RequireAuthorization(AuthPolicies.BureauStaff);
        api.MapPost("/summer-training/start", StartTrainingAsync).RequireAuthorization(AuthPolicies.BureauStaff);
        api.MapPost("/rotation/{instanceId}/applications", ApplyAsync).RequireAuthorization(AuthPolicies.SignedIn);
        return app;
    }

    /// <summary>
    /// POST /api/processes/rotation/start {year?, federationId? | schoolIds?, eligibleYears?, asOf?, quota?, quotaShare?,
    /// exemptions?: [{teacherId, reason}], receivingScope?: "federation"|"county", publicityWorkingDays?, reportBy?,
    /// reportDueWorkingDays?, assessmentAt?, nominationWorkingDays?, accessCode?}: computes the eligible teachers
    /// (≥ eligibleYears consecutive years at their current school on asOf, minus the exempted) and starts rotation-nomination.
    /// </summary>
    public static async Task<IResult> StartRotationAsync(HttpContext http, WorkflowsDbContext db, WorkflowRuntime runtime, TimeProvider time,
        IOptions<KpiOptions> kpi, CancellationToken ct)
    {
        var (body, error) = await ProblemResults.ReadObjectAsync(http.Request, required: false);
        if (error is not null) return error;
        body ??= new JsonObject();
        var fields = new RequestFields(body);
        var today = ChinaTime.Today(time);
        var year = fields.Int("year", 2000, 2100) ?? today.Year;
        var eligibleYears = fields.Int("eligibleYears", 1, 40) ?? kpi.Value.EligibleYears;
        var asOf = fields.Date("asOf") ?? today;
        var quotaShare = fields.Double("quotaShare", 0.0001, 1) ?? kpi.Value.RotationTarget;
        var quota = fields.Int("quota", 0, 100_000);
        var receiving = fields.Text("receivingScope") ?? "federation";
        if (receiving is not ("federation" or "county")) fields.Fail("receivingScope", "receivingScope 须为 federation 或 county / receivingScope must be federation or county.");
        var publicityDays = fields.Int("publicityWorkingDays", 1, 60) ?? 5;
        var reportBy = fields.Date("reportBy");
        var reportDue = fields.Int("reportDueWorkingDays", 1, 60) ?? 10;
        var nominationDays = fields.Int("nominationWorkingDays", 1, 60) ?? 5;
        var assessmentAt = fields.Moment("assessmentAt");
        var accessCode = fields.Text("accessCode", 64);
        if (accessCode is { Length: < 4 }) fields.Fail("accessCode", "访问码至少 4 位 / accessCode needs at least 4 characters.");
        var exemptionsJson = fields.Array("exemptions");
        if (fields.Error is not null) return fields.Error;

        var (scope, scopeError) = await ProcessScope.ReadAsync(db, body, ct);
        if (scopeError is not null) return scopeError;
        var teachers = await scope!.TeachersAsync(db, ct);
        var cutoff = asOf.AddYears(-eligibleYears);
        var eligibleUsers = teachers.Where(t => t.JoinedSchoolOn is { } joined && joined <= cutoff).ToList();

        var exemptions = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < (exemptionsJson?.Count ?? 0); i++)
        {
            var item = exemptionsJson![i] as JsonObject;
            var teacherId = ValueConverter.AsString(item?["teacherId"])?.Trim();
            var reason = ValueConverter.AsString(item?["reason"])?.Trim();
            if (string.IsNullOrEmpty(teacherId) || eligibleUsers.All(t => t.Id != teacherId))
                return ProblemResults.Validation($"exemptions[{i}].teacherId", "只能豁免本范围内符合交流条件的教师 / Only an eligible teacher of the scope can be exempted.");
            if (string.IsNullOrEmpty(reason) || reason.Length > 500)
                return ProblemResults.Validation($"exemptions[{i}].reason", "豁免须说明理由（不超过 500 字）/ An exemption needs a reason (at most 500 characters).");
            exemptions[teacherId] = reason;
        }

        JsonObject Teacher(UserRecord t) => new()
        {
            ["id"] = t.Id, ["name"] = t.Name, ["employeeNo"] = t.EmployeeNo, ["schoolId"] = t.SchoolId, ["schoolName"] = scope.SchoolName(t.SchoolId),
            ["federationId"] = scope.FederationOf(t.SchoolId), ["isBackbone"] = t.IsBackbone, ["title"] = t.Title,
            ["joinedSchoolOn"] = t.JoinedSchoolOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["yearsAtSchool"] = t.JoinedSchoolOn is { } j ? FullYears(j, asOf) : null,
        };
        var eligible = eligibleUsers.Where(t => !exemptions.ContainsKey(t.Id)).Select(Teacher).ToList();
        var exempted = eligibleUsers.Where(t => exemptions.ContainsKey(t.Id)).Select(t =>
        {
            var o = Teacher(t);
            o["reason"] = exemptions[t.Id];
            return o;
        }).ToList();
        var quotaValue = quota ?? (int)Math.Ceiling(eligible.Count * quotaShare - 1e-9);

        var input = new JsonObject
        {
            ["year"] = year, ["scopeId"] = scope.Id, ["scopeName"] = scope.Name, ["eligibleYears"] = eligibleYears,
            ["asOf"] = asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["quotaShare"] = quotaShare, ["quota"] = quotaValue,
            ["eligible"] = new JsonArray([.. eligible]), ["exempted"] = new JsonArray([.. exempted]),
            ["schools"] = scope.SchoolsJson(),
            ["receivingSchools"] = scope.SchoolsJson(receiving == "county" ? scope.CountySchools() : scope.FederationSchools()),
            ["publicityWorkingDays"] = publicityDays, ["nominationWorkingDays"] = nominationDays, ["reportDueWorkingDays"] = reportDue,
            ["reportBy"] = reportBy?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["assessmentAt"] = assessmentAt?.ToString("O", CultureInfo.InvariantCulture),
            ["accessCode"] = accessCode,
        };
        var outcome = await runtime.StartAsync(RotationDefinitionId, null, input, $"rotation-{year}-{scope.Id}", ActorOf(http), ct);
        return TypedResults.Created($"/api/instances/{outcome.InstanceId}", new
        {
            id = outcome.InstanceId, definitionId = RotationDefinitionId, status = outcome.State.Status.ToString(), subStatus = outcome.State.SubStatus.ToString(),
            year, scope = new { id = scope.Id, name = scope.Name }, teachers = teachers.Count, eligible = eligible.Count, exempted = exempted.Count,
            quota = quotaValue, eligibleYears,
        });
    }

    /// <summary>
    /// POST /api/processes/summer-training/start {year?, federationId? | schoolIds?, phases?, topics?, hoursPerDay?}:
    /// enrols every active teacher of the scope and starts summer-training.
    /// </summary>
    public static async Task<IResult> StartTrainingAsync(HttpContext http, WorkflowsDbContext db, WorkflowRuntime runtime, TimeProvider time,
        CancellationToken ct)
    {
        var (body, error) = await ProblemResults.ReadObjectAsync(http.Request, required: false);
        if (error is not null) return error;
        body ??= new JsonObject();
        var fields = new RequestFields(body);
        var year = fields.Int("year", 2000, 2100) ?? ChinaTime.Today(time).Year;
        var hours = fields.Double("hoursPerDay", 0.5, 24) ?? 4;
        var topics = fields.Array("topics");
        var phasesJson = fields.Array("phases");
        if (fields.Error is not null) return fields.Error;
        if (topics is not null && (topics.Count is 0 or > 10 || topics.Any(t => ValueConverter.AsString(t) is not { Length: > 0 and <= 200 })))
            return ProblemResults.Validation("topics", "topics 须为 1–10 个主题文本 / topics must list 1 to 10 topics.");
        JsonArray? phases = null;
        if (phasesJson is not null)
        {
            if (phasesJson.Count != 2) return ProblemResults.Validation("phases", "集训分两个阶段 / phases must list the two phases.");
            phases = [];
            for (var i = 0; i < 2; i++)
            {
                var p = phasesJson[i] as JsonObject ?? new JsonObject();
                var f = new RequestFields(p);
                var start = f.Date("start");
                var end = f.Date("end");
                var topic = f.Text("topic");
                if (f.Error is not null || start is null || end is null || end < start || end.Value.DayNumber - start.Value.DayNumber > 14)
                    return ProblemResults.Validation($"phases[{i}]", "每个阶段须有 start、end（yyyy-MM-dd，不超过 15 天）/ each phase needs start and end dates (at most 15 days).");
                if (i == 1 && start <= DateOnly.Parse(phases[0]!["end"]!.ToString(), CultureInfo.InvariantCulture))
                    return ProblemResults.Validation("phases[1].start", "第二阶段须在第一阶段之后 / phase 2 must start after phase 1 ends.");
                phases.Add(new JsonObject
                {
                    ["no"] = i + 1, ["start"] = start.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["end"] = end.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["topic"] = topic,
                });
            }
        }

        var (scope, scopeError) = await ProcessScope.ReadAsync(db, body, ct);
        if (scopeError is not null) return scopeError;
        var teachers = await scope!.TeachersAsync(db, ct);
        if (teachers.Count == 0) return ProblemResults.Validation("schoolIds", "范围内没有教师 / The scope has no teachers.");
        var input = new JsonObject
        {
            ["year"] = year, ["scopeId"] = scope.Id, ["scopeName"] = scope.Name, ["hoursPerDay"] = hours,
            ["participants"] = new JsonArray([.. teachers.Select(t => (JsonNode)new JsonObject
            {
                ["id"] = t.Id, ["name"] = t.Name, ["employeeNo"] = t.EmployeeNo, ["schoolId"] = t.SchoolId,
                ["schoolName"] = scope.SchoolName(t.SchoolId), ["federationId"] = scope.FederationOf(t.SchoolId),
            })]),
            ["schools"] = scope.SchoolsJson(),
        };
        if (topics is not null) input["topics"] = topics.DeepClone();
        if (phases is not null) input["phases"] = phases;
        var outcome = await runtime.StartAsync(TrainingDefinitionId, null, input, $"training-{year}-{scope.Id}", ActorOf(http), ct);
        return TypedResults.Created($"/api/instances/{outcome.InstanceId}", new
        {
            id = outcome.InstanceId, definitionId = TrainingDefinitionId, status = outcome.State.Status.ToString(), subStatus = outcome.State.SubStatus.ToString(),
            year, scope = new { id = scope.Id, name = scope.Name }, participants = teachers.Count, schools = scope.Schools.Count,
        });
    }

    /// <summary>
    /// POST /api/processes/rotation/{instanceId}/applications {reason?}: the signed-in teacher applies to rotate (主动申请),
    /// while the batch takes applications (until every school has recommended). Only eligible teachers of the batch may.
    /// </summary>
    public static async Task<IResult> ApplyAsync(string instanceId, HttpContext http, WorkflowsDbContext db, WorkflowRuntime runtime, CancellationToken ct)
    {
        if (http.User.UserId() is not { } me) return TypedResults.Problem(statusCode: 401, title: "请先登录 / Sign in first");
        var (body, error) = await ProblemResults.ReadObjectAsync(http.Request, required: false);
        if (error is not null) return error;
        var fields = new RequestFields(body ?? new JsonObject());
        var reason = fields.Text("reason", 1000);
        if (fields.Error is not null) return fields.Error;

        var record = await db.Instances.AsNoTracking().SingleOrDefaultAsync(i => i.Id == instanceId, ct);
        if (record is null || record.DefinitionId != RotationDefinitionId)
            return TypedResults.Problem(statusCode: 404, title: "交流轮岗批次不存在 / No such rotation batch");
        var state = WorkflowState.FromJson(record.StateJson);
        var eligible = state.Variables.GetValueOrDefault("Eligible") as JsonArray ?? [];
        if (eligible.All(e => e?["id"]?.ToString() != me))
            return TypedResults.Problem(statusCode: 403, title: "您不在本批次符合交流条件的名单中 / You are not eligible in this batch");
        if ((state.Variables.GetValueOrDefault("Applicants") as JsonArray ?? []).Any(a => a?["id"]?.ToString() == me))
            return TypedResults.Problem(statusCode: 409, title: "您已申请 / You have applied already");
        var bookmark = state.Bookmarks.FirstOrDefault(b => b.Kind == "Elsa.Event" && b.Stimulus == ApplyEvent);
        if (record.Status != nameof(WorkflowStatus.Running) || bookmark is null)
            return TypedResults.Problem(statusCode: 409, title: "申请已截止 / Applications are closed");
        try
        {
            var outcome = await runtime.ResumeAsync(instanceId, bookmark.Id, new JsonObject { ["teacherId"] = me, ["reason"] = reason },
                ActorOf(http), ct);
            return TypedResults.Ok(new { instanceId, teacherId = me, status = "applied", subStatus = outcome.State.SubStatus.ToString() });
        }
        catch (RuntimeException ex) when (ex.Status == 409)
        {
            return TypedResults.Problem(statusCode: 409, title: "申请已截止或正在处理，请重试 / Applications closed or busy; try again", detail: ex.Message);
        }
    }

    private static Actor ActorOf(HttpContext http) => ProblemResults.ActorOf(http);

    private static int FullYears(DateOnly from, DateOnly to)
    {
        var years = to.Year - from.Year;
        if (from.AddYears(years) > to) years--;
        return Math.Max(years, 0);
    }
}
