using System.Diagnostics;
using System.Globalization;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Workflows.Testing;

namespace Workflows.Bench;

/// <summary>What the mail and reminder scenarios share: the SMTP server, the databases, the Host's services, MailKit alone.</summary>
internal static class MailBench
{
    /// <summary>
    /// Starts one aiosmtpd for the whole scenario and runs <paramref name="run"/> once per selected database, each on a
    /// fresh database (<paramref name="name"/>) and an empty content root; cleans everything up afterwards.
    /// </summary>
    public static async Task ForEachDatabaseAsync(BenchOptions options, string name,
        Func<(string Database, string ConnectionString, string ContentRoot, SmtpServer Smtp), Task> run, Action<SmtpServer>? started = null)
    {
        await using var smtp = await SmtpServer.StartNewAsync();
        started?.Invoke(smtp);
        var scratch = Directory.CreateTempSubdirectory($"workflows-{name.Replace('_', '-')}-").FullName;
        PostgresServer? postgres = null;
        try
        {
            foreach (var database in options.Databases)
            {
                string connectionString;
                if (database == DatabaseScenario.PostgreSql)
                {
                    postgres ??= await PostgresServer.StartAsync();
                    connectionString = await postgres.CreateDatabaseAsync(name);
                }
                else connectionString = $"Data Source={Path.Combine(scratch, name + ".db")}";
                var contentRoot = Directory.CreateDirectory(Path.Combine(scratch, $"content-{database}")).FullName;
                ApprovalScenarioFiles.CopyTemplates(contentRoot);
                await run((database, connectionString, contentRoot, smtp));
            }
        }
        finally
        {
            if (postgres is not null) await postgres.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(scratch, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>The Host's services with Hangfire's server on and mail to <paramref name="smtp"/> (Hangfire storage as the Host picks it).</summary>
    public static ServiceProvider BuildServices(string database, string connectionString, string contentRoot, SmtpServer smtp) =>
        DatabaseScenario.BuildServices(database, connectionString, contentRoot, new Dictionary<string, string?>
        {
            ["Hangfire:Storage"] = "Auto", // in memory with SQLite, PostgreSQL with PostgreSQL
            ["Hangfire:Server"] = "true",
            ["Smtp:Host"] = smtp.Host,
            ["Smtp:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Smtp:From"] = "workflows@bench.local",
        });

    /// <summary>The raw side: MailKit alone sends <paramref name="messages"/> over one connection; checks every one arrived.</summary>
    public static async Task<(TimeSpan Elapsed, bool Arrived)> SendWithMailKitAsync(SmtpServer smtp, IReadOnlyCollection<MimeMessage> messages)
    {
        var before = CountFiles(smtp);
        var t0 = Stopwatch.GetTimestamp();
        using (var client = new SmtpClient { Timeout = 30_000 })
        {
            await client.ConnectAsync(smtp.Host, smtp.Port, SecureSocketOptions.None);
            foreach (var message in messages) await client.SendAsync(message);
            await client.DisconnectAsync(quit: true);
        }
        var elapsed = Stopwatch.GetElapsedTime(t0);
        return (elapsed, CountFiles(smtp) - before == messages.Count);
    }

    /// <summary>Messages the server has written to its maildir.</summary>
    public static int CountFiles(SmtpServer smtp) =>
        new[] { "new", "cur" }.Select(d => Path.Combine(smtp.MaildirPath, d)).Where(Directory.Exists).Sum(d => Directory.GetFiles(d).Length);
}
