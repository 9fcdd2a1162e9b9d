using System.Security.Claims;
using Workflows.Activities.People;
using Workflows.Host.People;

namespace Workflows.Host.Features.Auth;

/// <summary>
/// What the sign-in cookie says about the user: NameIdentifier = user id, Name, Email, one Role claim per role
/// held and one <c>scope:&lt;Role&gt;</c> claim per role assignment (its value the OrgUnit id).
/// </summary>
public static class CurrentUser
{
    public const string ScopeClaimPrefix = "scope:";

    public static string ScopeClaim(string role) => ScopeClaimPrefix + role;

    public static string? UserId(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? user.FindFirstValue(ClaimTypes.NameIdentifier) : null;

    public static string? Email(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Email);

    /// <summary>Whether the user holds <paramref name="role"/> (in exactly <paramref name="scopeId"/> when given).</summary>
    public static bool HasRole(this ClaimsPrincipal user, string role, string? scopeId = null) =>
        scopeId is null ? user.IsInRole(role) : user.ScopesOf(role).Contains(scopeId, StringComparer.Ordinal);

    /// <summary>The OrgUnits the user holds <paramref name="role"/> in.</summary>
    public static IReadOnlyList<string> ScopesOf(this ClaimsPrincipal user, string role) =>
        user.FindAll(ScopeClaim(role)).Select(c => c.Value).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Whether the user holds <paramref name="role"/> in <paramref name="unitId"/> or in a unit above it: a Lead of
    /// federation F covers F's schools, BureauPersonnel/BureauAdmin of the county cover everything in it.
    /// </summary>
    public static bool Covers(this ClaimsPrincipal user, string role, string? unitId, OrgTree tree) =>
        user.ScopesOf(role).Any(scope => tree.Covers(scope, unitId));

    /// <summary>Bureau administrators and personnel see every instance and operate on them.</summary>
    public static bool IsBureauStaff(this ClaimsPrincipal user) => user.IsInRole(Roles.BureauAdmin) || user.IsInRole(Roles.BureauPersonnel);
}
