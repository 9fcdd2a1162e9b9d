using Hangfire.Dashboard;
using Workflows.Activities.People;

namespace Workflows.Host.Features.Auth;

/// <summary>The Hangfire dashboard is for BureauAdmin only, signed in with the cookie like everywhere else.</summary>
public sealed class AdministratorsDashboardFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Roles.BureauAdmin);
}
