using Microsoft.AspNetCore.Authorization;
using Workflows.Activities.People;

namespace Workflows.Host.Features.Auth;

/// <summary>
/// Named authorization policies. Every endpoint without its own requires a signed-in user (the fallback
/// policy); anonymous endpoints say so with AllowAnonymous.
/// </summary>
public static class AuthPolicies
{
    /// <summary>Any signed-in user.</summary>
    public const string SignedIn = "SignedIn";

    /// <summary>Import, validate and publish definitions: Designer or BureauAdmin.</summary>
    public const string Designers = "Designers";

    /// <summary>Operate the system (instances, events, read the roster): BureauAdmin or BureauPersonnel.</summary>
    public const string BureauStaff = "BureauStaff";

    /// <summary>Change the roster, Hangfire, Scalar: BureauAdmin.</summary>
    public const string Administrators = "Administrators";

    public static AuthorizationBuilder AddWorkflowsPolicies(this AuthorizationBuilder builder) => builder
        .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
        .AddPolicy(SignedIn, p => p.RequireAuthenticatedUser())
        .AddPolicy(Designers, p => p.RequireAuthenticatedUser().RequireRole(Roles.Designer, Roles.BureauAdmin))
        .AddPolicy(BureauStaff, p => p.RequireAuthenticatedUser().RequireRole(Roles.BureauAdmin, Roles.BureauPersonnel))
        .AddPolicy(Administrators, p => p.RequireAuthenticatedUser().RequireRole(Roles.BureauAdmin));
}
