using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Workflows.Host.People;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Features.Auth;

/// <summary>Builds the claims of a signed-in user from the roster.</summary>
public sealed class UserPrincipals(IDbContextFactory<WorkflowsDbContext> contexts)
{
    /// <summary>The principal of an active user, or null when the user is gone or disabled.</summary>
    public async Task<ClaimsPrincipal?> CreateAsync(string? userId, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(userId)) return null;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null || user.Status != UserStatuses.Active) return null;
        var roles = await db.RoleAssignments.AsNoTracking().Where(a => a.UserId == userId).ToListAsync(ct);
        return Create(user, roles);
    }

    public static ClaimsPrincipal Create(UserRecord user, IEnumerable<RoleAssignment> assignments)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id),
            new(ClaimTypes.Name, user.Name),
            new(ClaimTypes.Email, user.Email),
        };
        var ordered = assignments.OrderBy(a => a.Role, StringComparer.Ordinal).ThenBy(a => a.ScopeId, StringComparer.Ordinal).ToList();
        claims.AddRange(ordered.Select(a => a.Role).Distinct(StringComparer.Ordinal).Select(r => new Claim(ClaimTypes.Role, r)));
        claims.AddRange(ordered.Select(a => new Claim(CurrentUser.ScopeClaim(a.Role), a.ScopeId)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role));
    }
}
