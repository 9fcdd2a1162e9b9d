using System.Security.Claims;
using Workflows.Activities.People;
using Workflows.Host.People;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Features.Auth;

/// <summary>
/// Which instances a user may see: bureau staff all of them; everyone the ones they started or have a task in;
/// a Lead also those started by someone of their federation's schools, a Principal or SchoolOffice those of their school.
/// </summary>
public static class InstanceAccess
{
    private static readonly string[] UnitRoles = [Roles.Lead, Roles.Principal, Roles.SchoolOffice];

    public static async Task<IQueryable<InstanceRecord>> VisibleToAsync(this IQueryable<InstanceRecord> query, ClaimsPrincipal user,
        WorkflowsDbContext db, CancellationToken ct)
    {
        if (user.IsBureauStaff()) return query;
        var me = user.UserId() ?? "";
        var scopes = UnitRoles.SelectMany(user.ScopesOf).Distinct(StringComparer.Ordinal).ToList();
        var schools = scopes.Count == 0 ? [] : (await OrgTree.LoadAsync(db, ct)).SchoolsUnder(scopes);
        if (schools.Count == 0)
            return query.Where(i => i.InitiatorId == me || db.Tasks.Any(t => t.InstanceId == i.Id && t.AssigneeId == me));
        return query.Where(i => i.InitiatorId == me
            || db.Tasks.Any(t => t.InstanceId == i.Id && t.AssigneeId == me)
            || db.Users.Any(u => u.Id == i.InitiatorId && u.SchoolId != null && schools.Contains(u.SchoolId)));
    }

    public static IResult Forbidden() => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
        title: "无权查看 / Forbidden", detail: "您不能查看这个流程实例。/ You may not see this instance.");
}
