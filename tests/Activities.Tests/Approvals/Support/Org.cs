using Workflows.Activities.People;

namespace Workflows.Activities.Tests.Approvals.Support;

/// <summary>
/// A small county for the tests (某县): the bureau, two federations (东片, 西片) and three schools.
/// <code>
/// county-1 ── bureau: hr.1, hr.2 (BureauPersonnel), admin.1 (BureauAdmin)
///  ├ fed-east (lead.east) ── sch-e1: principal.e1, office.e1, teacher.e1, teacher.e1b
///  │                      └ sch-e2: principal.e2, retired.e2 (inactive principal), teacher.e2
///  └ fed-west (lead.west) ── sch-w1: principal.w1, teacher.w1
/// </code>
/// </summary>
internal sealed class Org : IAssigneeDirectory
{
    public const string County = "county-1";
    public const string FedEast = "fed-east";
    public const string FedWest = "fed-west";
    public const string SchE1 = "sch-e1";
    public const string SchE2 = "sch-e2";
    public const string SchW1 = "sch-w1";

    private readonly Dictionary<string, (UserPlacement Placement, bool Active)> _users = new(StringComparer.Ordinal);
    private readonly List<(string UserId, string Role, string Scope)> _roles = [];

    public Org()
    {
        User("hr.1", null, null, Role(Roles.BureauPersonnel, County));
        User("hr.2", null, null, Role(Roles.BureauPersonnel, County));
        User("admin.1", null, null, Role(Roles.BureauAdmin, County));
        User("lead.east", null, FedEast, Role(Roles.Lead, FedEast));
        User("lead.west", null, FedWest, Role(Roles.Lead, FedWest));
        User("principal.e1", SchE1, FedEast, Role(Roles.Principal, SchE1));
        User("office.e1", SchE1, FedEast, Role(Roles.SchoolOffice, SchE1));
        User("teacher.e1", SchE1, FedEast, Role(Roles.Teacher, SchE1));
        User("teacher.e1b", SchE1, FedEast, Role(Roles.Teacher, SchE1));
        User("retired.e2", SchE2, FedEast, Role(Roles.Principal, SchE2), active: false);
        User("principal.e2", SchE2, FedEast, Role(Roles.Principal, SchE2));
        User("teacher.e2", SchE2, FedEast, Role(Roles.Teacher, SchE2));
        User("principal.w1", SchW1, FedWest, Role(Roles.Principal, SchW1));
        User("teacher.w1", SchW1, FedWest, Role(Roles.Teacher, SchW1));
    }

    public ValueTask<IReadOnlyList<string>> UsersInRoleAsync(string role, string scopeId, CancellationToken ct = default) =>
        ValueTask.FromResult<IReadOnlyList<string>>(_roles.Where(r => r.Role == role && r.Scope == scopeId).Select(r => r.UserId).ToList());

    public ValueTask<UserPlacement?> PlacementOfAsync(string userId, CancellationToken ct = default) =>
        ValueTask.FromResult(_users.TryGetValue(userId, out var u) ? u.Placement : null);

    public ValueTask<bool> IsActiveAsync(string userId, CancellationToken ct = default) =>
        ValueTask.FromResult(_users.TryGetValue(userId, out var u) && u.Active);

    public ValueTask<IReadOnlyList<string>> AdministratorsAsync(CancellationToken ct = default) =>
        UsersInRoleAsync(Roles.BureauAdmin, County, ct);

    private static (string Role, string Scope) Role(string role, string scope) => (role, scope);

    private void User(string id, string? school, string? federation, (string Role, string Scope) role, bool active = true)
    {
        _users[id] = (new UserPlacement(id, school, federation, County), active);
        _roles.Add((id, role.Role, role.Scope));
    }
}

/// <summary>The engine's services: just what the activities look up.</summary>
internal sealed class Services(params object[] services) : IServiceProvider
{
    public object? GetService(Type serviceType) => services.FirstOrDefault(serviceType.IsInstanceOfType);
}
