using Workflows.Activities.People;
using Workflows.Host.Api;
using Workflows.Host.Components.Web;
using Workflows.Host.Features.Auth;
using Workflows.Host.People;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Features.Kpis;

/// <summary>
/// GET /api/kpis?federationId=&amp;schoolId=&amp;year=: rotation and training KPIs against their targets, overdue tasks and
/// where running instances stand. BureauAdmin and BureauPersonnel see everything; a Lead their federation (and its
/// schools); a Principal their school. Anyone else: 403.
/// </summary>
public static class KpisApi
{
    public static IEndpointRouteBuilder MapKpisApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/kpis", GetAsync).WithTags("KPIs").RequireAuthorization(AuthPolicies.SignedIn);
        return app;
    }

    public static async Task<IResult> GetAsync(HttpContext http, KpiCalculator calculator, WorkflowsDbContext db, TimeProvider time,
        string? federationId, string? schoolId, string? year, string? definitionId, CancellationToken ct)
    {
        var user = http.User;
        int y;
        if (string.IsNullOrWhiteSpace(year)) y = ChinaTime.Today(time).Year;
        else if (!int.TryParse(year, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out y) || y is < 2000 or > 2100)
            return ProblemResults.Validation("year", "year 须为 2000–2100 之间的年份 / year must be a year from 2000 to 2100.");
        federationId = Blank(federationId);
        schoolId = Blank(schoolId);
        definitionId = Blank(definitionId);

        var tree = await OrgTree.LoadAsync(db, ct);
        if (federationId is not null && tree.Find(federationId) is not { Kind: OrgUnit.KindFederation })
            return ProblemResults.Validation("federationId", "federationId 不是教联体 / federationId is not a federation.");
        if (schoolId is not null && tree.Find(schoolId) is not { Kind: OrgUnit.KindSchool })
            return ProblemResults.Validation("schoolId", "schoolId 不是学校 / schoolId is not a school.");
        if (federationId is not null && schoolId is not null && !tree.Covers(federationId, schoolId))
            return ProblemResults.Validation("schoolId", "学校不属于该教联体 / The school is not in that federation.");

        var bureau = user.IsBureauStaff();
        if (!bureau)
        {
            var leads = user.ScopesOf(Roles.Lead);
            var principals = user.ScopesOf(Roles.Principal);
            if (leads.Count > 0 && (schoolId is null || leads.Any(l => tree.Covers(l, schoolId))) && (federationId is null || leads.Contains(federationId)))
            {
                if (schoolId is null) federationId ??= leads[0];
            }
            else if (principals.Count > 0 && federationId is null && (schoolId is null || principals.Contains(schoolId)))
            {
                schoolId ??= principals[0];
            }
            else
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "无权查看 / Forbidden",
                    detail: "教育局可查看全部，教联体负责人可查看本教联体，校长可查看本校。/ The bureau sees everything, a lead their federation, a principal their school.");
            }
        }

        var report = await calculator.ComputeAsync(new KpiRequest(y, federationId, schoolId, definitionId), ct);
        return TypedResults.Ok(new
        {
            report.Year,
            report.ComputedAt,
            report.Targets,
            scope = new { federationId, schoolId, definitionId },
            county = bureau && federationId is null && schoolId is null ? report.County : null,
            report.Federations,
            report.Schools,
            report.OverdueTasks,
            report.Stages,
            definitions = bureau ? report.Definitions : null,
        });
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
