using Microsoft.EntityFrameworkCore;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.People;

/// <summary>
/// The organisation's units as a tree (county → federations → schools), read from the database in one
/// query. A county has a few dozen units, so callers load it per request rather than caching it: an import
/// on another Host is then seen at once.
/// </summary>
public sealed class OrgTree
{
    private readonly Dictionary<string, OrgUnit> _units;
    private readonly ILookup<string, OrgUnit> _children;

    public OrgTree(IEnumerable<OrgUnit> units)
    {
        _units = units.ToDictionary(u => u.Id, StringComparer.Ordinal);
        _children = _units.Values.Where(u => u.ParentId is not null).ToLookup(u => u.ParentId!, StringComparer.Ordinal);
    }

    public static async Task<OrgTree> LoadAsync(WorkflowsDbContext db, CancellationToken ct = default) =>
        new(await db.OrgUnits.AsNoTracking().ToListAsync(ct));

    public IReadOnlyCollection<OrgUnit> Units => _units.Values;

    public OrgUnit? Find(string? id) => id is not null && _units.TryGetValue(id, out var unit) ? unit : null;

    public IEnumerable<OrgUnit> ChildrenOf(string id) => _children[id];

    /// <summary>The unit and its parents, nearest first (stops at a cycle or a missing parent).</summary>
    public IEnumerable<OrgUnit> SelfAndAncestors(string? id)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var unit = Find(id); unit is not null && seen.Add(unit.Id); unit = Find(unit.ParentId))
            yield return unit;
    }

    /// <summary>Whether <paramref name="unitId"/> is <paramref name="scopeId"/> or lies below it.</summary>
    public bool Covers(string scopeId, string? unitId) => SelfAndAncestors(unitId).Any(u => u.Id == scopeId);

    /// <summary>The units themselves and everything below them.</summary>
    public IReadOnlyCollection<OrgUnit> SelfAndDescendants(IEnumerable<string> ids)
    {
        var result = new Dictionary<string, OrgUnit>(StringComparer.Ordinal);
        var queue = new Queue<OrgUnit>(ids.Select(Find).OfType<OrgUnit>());
        while (queue.TryDequeue(out var unit))
        {
            if (!result.TryAdd(unit.Id, unit)) continue;
            foreach (var child in ChildrenOf(unit.Id)) queue.Enqueue(child);
        }
        return result.Values;
    }

    /// <summary>Ids of the schools at or below the given units.</summary>
    public List<string> SchoolsUnder(IEnumerable<string> ids) =>
        SelfAndDescendants(ids).Where(u => u.Kind == OrgUnit.KindSchool).Select(u => u.Id).ToList();

    /// <summary>The kind of unit a role is held in: Principal/SchoolOffice/Teacher → School, Lead → Federation, bureau roles → County.</summary>
    public static string? ScopeKindOf(string role) => role switch
    {
        Activities.People.Roles.Teacher or Activities.People.Roles.SchoolOffice or Activities.People.Roles.Principal => OrgUnit.KindSchool,
        Activities.People.Roles.Lead => OrgUnit.KindFederation,
        Activities.People.Roles.BureauPersonnel or Activities.People.Roles.BureauAdmin or Activities.People.Roles.Designer => OrgUnit.KindCounty,
        _ => null,
    };
}
