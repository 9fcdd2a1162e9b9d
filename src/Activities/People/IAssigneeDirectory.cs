namespace Workflows.Activities.People;

/// <summary>
/// The organisation as activities see it: who holds a role in a place, who is someone's principal.
/// The Host implements it over the database; tests use an in-memory one.
/// </summary>
public interface IAssigneeDirectory
{
    /// <summary>Users holding <paramref name="role"/> in the org unit <paramref name="scopeId"/> (a school, a federation or the county).</summary>
    ValueTask<IReadOnlyList<string>> UsersInRoleAsync(string role, string scopeId, CancellationToken ct = default);

    /// <summary>The school, federation and county a user belongs to (null parts when the user has none).</summary>
    ValueTask<UserPlacement?> PlacementOfAsync(string userId, CancellationToken ct = default);

    /// <summary>Whether the user exists and is active.</summary>
    ValueTask<bool> IsActiveAsync(string userId, CancellationToken ct = default);

    /// <summary>Who gets a task nobody else can take (BureauAdmin of the county).</summary>
    ValueTask<IReadOnlyList<string>> AdministratorsAsync(CancellationToken ct = default);
}

public sealed record UserPlacement(string UserId, string? SchoolId, string? FederationId, string? CountyId);

/// <summary>Role names, as stored in role assignments.</summary>
public static class Roles
{
    public const string Teacher = "Teacher";
    public const string SchoolOffice = "SchoolOffice";
    public const string Principal = "Principal";
    public const string Lead = "Lead";
    public const string BureauPersonnel = "BureauPersonnel";
    public const string BureauAdmin = "BureauAdmin";
    public const string Designer = "Designer";

    public static readonly string[] All = [Teacher, SchoolOffice, Principal, Lead, BureauPersonnel, BureauAdmin, Designer];
}
