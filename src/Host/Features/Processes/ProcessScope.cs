using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Workflows.Activities.People;
using Workflows.Host.Api;
using Workflows.Host.People;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Features.Processes;

/// <summary>
/// The schools a batch process covers (a federation, some schools, or the whole county) and the teachers in them,
/// read from the roster. The definitions get these lists as input; the engine never reads the roster itself.
/// </summary>
public sealed class ProcessScope
{
    private ProcessScope(OrgTree tree, string id, string name, IReadOnlyList<OrgUnit> schools)
    {
        Tree = tree;
        Id = id;
        Name = name;
        Schools = schools;
    }

    public OrgTree Tree { get; }

    /// <summary>The federation's id, the county's id, or the school ids joined with "+".</summary>
    public string Id { get; }

    public string Name { get; }
    public IReadOnlyList<OrgUnit> Schools { get; }

    /// <summary>
    /// Reads "federationId" and "schoolIds" of a request: one federation, a list of schools, or neither (the county).
    /// Returns the ProblemDetails naming the field when they are wrong.
    /// </summary>
    public static async Task<(ProcessScope? Scope, IResult? Error)> ReadAsync(WorkflowsDbContext db, JsonObject body, CancellationToken ct)
    {
        var tree = await OrgTree.LoadAsync(db, ct);
        string? federationId = null;
        if (body["federationId"] is { } f)
        {
            federationId = f is JsonValue fv && fv.TryGetValue<string>(out var s) ? s.Trim() : null;
            if (string.IsNullOrEmpty(federationId) || tree.Find(federationId) is not { Kind: OrgUnit.KindFederation })
                return (null, ProblemResults.Validation("federationId", "federationId 不是教联体 / federationId is not a federation."));
        }
        List<string>? schoolIds = null;
        if (body["schoolIds"] is { } sIds)
        {
            if (sIds is not JsonArray array || array.Count == 0
                || array.Any(x => x is not JsonValue v || !v.TryGetValue<string>(out _)))
                return (null, ProblemResults.Validation("schoolIds", "schoolIds 须为学校编号列表 / schoolIds must be a list of school ids."));
            schoolIds = array.Select(x => x!.GetValue<string>().Trim()).Distinct(StringComparer.Ordinal).ToList();
            if (schoolIds.FirstOrDefault(id => tree.Find(id) is not { Kind: OrgUnit.KindSchool }) is { } unknown)
                return (null, ProblemResults.Validation("schoolIds", $"「{unknown}」不是学校 / '{unknown}' is not a school."));
            if (federationId is not null && schoolIds.Any(id => !tree.Covers(federationId, id)))
                return (null, ProblemResults.Validation("schoolIds", "学校不属于该教联体 / The schools are not in that federation."));
        }

        if (schoolIds is not null)
        {
            var schools = schoolIds.Select(id => tree.Find(id)!).ToList();
            return (new ProcessScope(tree, string.Join("+", schoolIds), string.Join("、", schools.Select(s => s.Name)), schools), null);
        }
        if (federationId is not null)
        {
            var federation = tree.Find(federationId)!;
            return (new ProcessScope(tree, federation.Id, federation.Name, SchoolsOf(tree, [federation.Id])), null);
        }
        var county = tree.Units.FirstOrDefault(u => u.Kind == OrgUnit.KindCounty);
        if (county is null) return (null, ProblemResults.Validation("federationId", "没有县级单位 / The organisation has no county."));
        return (new ProcessScope(tree, county.Id, county.Name, SchoolsOf(tree, [county.Id])), null);
    }

    private static List<OrgUnit> SchoolsOf(OrgTree tree, IEnumerable<string> units) =>
        tree.SchoolsUnder(units).Select(id => tree.Find(id)!).OrderBy(s => s.Code ?? s.Name, StringComparer.Ordinal).ToList();

    public string? FederationOf(string? schoolId) =>
        Tree.SelfAndAncestors(schoolId).FirstOrDefault(u => u.Kind == OrgUnit.KindFederation)?.Id;

    /// <summary>The active teachers (role Teacher) of the scope's schools, by school then employee number.</summary>
    public async Task<List<UserRecord>> TeachersAsync(WorkflowsDbContext db, CancellationToken ct)
    {
        var ids = Schools.Select(s => s.Id).ToList();
        var teachers = await db.Users.AsNoTracking()
            .Where(u => u.Status == UserStatuses.Active && u.SchoolId != null && ids.Contains(u.SchoolId)
                        && db.RoleAssignments.Any(a => a.UserId == u.Id && a.Role == Roles.Teacher))
            .ToListAsync(ct);
        var order = ids.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i, StringComparer.Ordinal);
        return teachers.OrderBy(t => order[t.SchoolId!]).ThenBy(t => t.EmployeeNo ?? t.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>The schools as definitions read them: [{id, name, federationId, isCore}].</summary>
    public JsonArray SchoolsJson(IEnumerable<OrgUnit>? schools = null) =>
        new([.. (schools ?? Schools).Select(s => (JsonNode)new JsonObject
        {
            ["id"] = s.Id, ["name"] = s.Name, ["federationId"] = FederationOf(s.Id), ["isCore"] = s.IsCore,
        })]);

    /// <summary>Every school of the federations the scope touches (where a rotating teacher may be received).</summary>
    public IReadOnlyList<OrgUnit> FederationSchools() =>
        SchoolsOf(Tree, Schools.Select(s => FederationOf(s.Id)).OfType<string>().Distinct(StringComparer.Ordinal));

    public IReadOnlyList<OrgUnit> CountySchools() =>
        SchoolsOf(Tree, Tree.Units.Where(u => u.Kind == OrgUnit.KindCounty).Select(u => u.Id));

    public string SchoolName(string? schoolId) => Tree.Find(schoolId)?.Name ?? schoolId ?? "";
}
