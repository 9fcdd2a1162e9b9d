using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Workflows.Persistence;

namespace Workflows.Host.People;

/// <summary>The demo keys of the "Workflows" section.</summary>
public sealed class DemoDataOptions
{
    /// <summary>Create the demo organisation at start when the database has no user yet.</summary>
    public bool DemoData { get; set; }

    /// <summary>The password of every demo account.</summary>
    public string DemoPassword { get; set; } = "";
}

/// <summary>
/// Seeds <see cref="DemoOrganization"/> at start on a database without users. Registered after the start-up
/// tasks, so the migrations have run.
/// </summary>
public sealed class DemoDataSeeder(IDbContextFactory<WorkflowsDbContext> contexts, TimeProvider time, IOptions<DemoDataOptions> options,
    ILogger<DemoDataSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        if (!options.Value.DemoData) return;
        if (string.IsNullOrEmpty(options.Value.DemoPassword))
        {
            logger.LogWarning("Workflows:DemoData is on but Workflows:DemoPassword is empty; no demo organisation was created");
            return;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await db.Users.AnyAsync(ct)) return;
        try
        {
            if (await DemoOrganization.SeedAsync(db, time, options.Value.DemoPassword, ct))
                logger.LogInformation("Demo organisation created; sign in as {Email} with the password of Workflows:DemoPassword", DemoOrganization.AdminEmail);
        }
        catch (DbUpdateException ex)
        {
            // Another Host sharing the database seeded it at the same moment.
            logger.LogInformation("Demo organisation not created: {Message}", ex.InnerException?.Message ?? ex.Message);
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
