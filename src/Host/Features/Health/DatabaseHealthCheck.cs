using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Workflows.Persistence;

namespace Workflows.Host;

/// <summary>Ready = start-up finished and the database answers.</summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<WorkflowsDbContext> contexts, StartupTasks startup) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        if (!startup.Ready) return HealthCheckResult.Unhealthy("Starting up.");
        try
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            return await db.Database.CanConnectAsync(ct) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The database does not answer.");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.", ex);
        }
    }
}
