using Microsoft.EntityFrameworkCore;
using Workflows.Activities.People;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.People;

/// <summary>
/// <see cref="IAssigneeDirectory"/> over the database. No cache: every answer reflects the roster as it is
/// now (a role given a second ago counts), and each question is one or two indexed queries.
/// </summary>
public sealed class AssigneeDirectory(IDbContextFactory<WorkflowsDbContext> contexts) : IAssigneeDirectory
{
    public async ValueTask<IReadOnlyList<string>> UsersInRoleAsync(string role, string scopeId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.RoleAssignments.AsNoTracking()
            .Where(a => a.Role == role && a.ScopeId == scopeId)
            .Join(db.Users.Where(u => u.Status == UserStatuses.Active), a => a.UserId, u => u.Id, (a, u) => u.Id)
            .Distinct().OrderBy(id => id).ToListAsync(ct);
    }

    public async ValueTask<UserPlacement?> PlacementOfAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.Id, u.SchoolId }).SingleOrDefaultAsync(ct);
        if (user is null) return null;

        var tree = await OrgTree.LoadAsync(db, ct);
        var start = user.SchoolId;
        if (tree.Find(start) is null)
        {
            // Bureau staff and federation leads have no school: place them by the most specific unit they hold a role in.
            var scopes = await db.RoleAssignments.AsNoTracking().Where(a => a.UserId == userId).Select(a => a.ScopeId).ToListAsync(ct);
            start = scopes.Select(tree.Find).OfType<OrgUnit>()
                .OrderBy(u => u.Kind switch { OrgUnit.KindSchool => 0, OrgUnit.KindFederation => 1, _ => 2 }).ThenBy(u => u.Id, StringComparer.Ordinal)
                .FirstOrDefault()?.Id;
        }
        string? school = null, federation = null, county = null;
        foreach (var unit in tree.SelfAndAncestors(start))
        {
            switch (unit.Kind)
            {
                case OrgUnit.KindSchool: school ??= unit.Id; break;
                case OrgUnit.KindFederation: federation ??= unit.Id; break;
                case OrgUnit.KindCounty: county ??= unit.Id; break;
            }
        }
        // A school id that is not (yet) in the tree still places the user in that school.
        return new UserPlacement(user.Id, school ?? user.SchoolId, federation, county);
    }

    public async ValueTask<bool> IsActiveAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Users.AnyAsync(u => u.Id == userId && u.Status == UserStatuses.Active, ct);
    }

    public async ValueTask<IReadOnlyList<string>> AdministratorsAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.RoleAssignments.AsNoTracking()
            .Where(a => a.Role == Roles.BureauAdmin && db.OrgUnits.Any(o => o.Id == a.ScopeId && o.Kind == OrgUnit.KindCounty))
            .Join(db.Users.Where(u => u.Status == UserStatuses.Active), a => a.UserId, u => u.Id, (a, u) => u.Id)
            .Distinct().OrderBy(id => id).ToListAsync(ct);
    }
}
