using Workflows.Persistence;
using Workflows.Testing;

namespace Workflows.Faults.Tests;

/// <summary>
/// Several real Host processes on one database while things break: a Host killed with SIGKILL and started again, the SMTP
/// server stopped and started again, a Host stopped with SIGTERM. Afterwards nothing is lost and nothing happened twice
/// (see README.md, "Delivery guarantees"). The load is moderate by default; set WORKFLOWS_FAULTS_INSTANCES=2000 for the full run.
/// </summary>
public sealed class ScaleOutFaultTests(PostgresServer postgres)
{
    private static int Instances(int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable("WORKFLOWS_FAULTS_INSTANCES"), out var n) && n > 0 ? n : fallback;

    [Fact]
    public async Task Three_hosts_on_PostgreSQL_lose_nothing_and_do_nothing_twice_through_a_crash_an_SMTP_outage_and_a_restart()
    {
        await using var smtp = await SmtpServer.StartNewAsync();
        var plan = new FaultPlan
        {
            Provider = DatabaseProvider.PostgreSql,
            ConnectionString = await postgres.CreateUniqueDatabaseAsync("faults"),
            Hosts = 3,
            Instances = Instances(200),
            Parallel = 12,
            KillAt = 0.2,
            SmtpOutageAt = 0.4,
            TerminateAt = 0.6,
        };
        await using var harness = new FaultHarness(plan, smtp);
        await harness.StartHostsAsync();
        await harness.RunScriptsAsync();
        var figures = await harness.CheckAsync();
        Assert.True(figures.Messages > 0);
    }

    [Fact]
    public async Task One_SQLite_host_killed_during_a_burst_is_consistent_after_restart()
    {
        await using var smtp = await SmtpServer.StartNewAsync();
        var folder = Directory.CreateTempSubdirectory("workflows-faults-sqlite-").FullName;
        try
        {
            var plan = new FaultPlan
            {
                Provider = DatabaseProvider.Sqlite,
                ConnectionString = $"Data Source={Path.Combine(folder, "faults.db")}",
                Hosts = 1,
                Instances = Math.Max(50, Instances(200) / 2),
                Parallel = 8,
                KillAt = 0.4,
            };
            await using var harness = new FaultHarness(plan, smtp);
            await harness.StartHostsAsync();
            await harness.RunScriptsAsync();
            await harness.CheckAsync();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }
}
