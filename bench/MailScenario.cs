using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MimeKit;
using Workflows.Engine.Execution;
using Workflows.Host;
using Workflows.Host.Features.Tasks;
using Workflows.Host.Notifications;
using Workflows.Persistence;
using Workflows.Persistence.Entities;
using Workflows.Testing;

namespace Workflows.Bench;

/// <summary>
/// A burst of due task reminders delivered to a real local SMTP server (aiosmtpd with its Mailbox handler, as
/// <see cref="SmtpServer"/> runs it), against MailKit alone sending the same messages to the same server over one
/// connection. The reminder emails are written as a firing reminder timer writes them (<see cref="TaskNotifications.Reminder"/>,
/// the task-reminder template: an in-app notification and an outbox row per recipient), held back, then made due all at
/// once; the Host's own outbox path delivers them: <see cref="OutboxPump"/> (a hosted service polling every Smtp:PollInterval)
/// claims batches of Smtp:BatchSize and enqueues one Hangfire job per batch; Hangfire's server (WorkerCount workers; its
/// storage as the Host picks it: in memory with SQLite, PostgreSQL with PostgreSQL) runs <see cref="OutboxJob.SendBatchAsync"/>,
/// which sends the batch over one SMTP connection and marks the rows Sent.
/// </summary>
internal static class MailScenario
{
    public static async Task<MailResult> RunAsync(BenchOptions options)
    {
        var result = new MailResult { Reminders = options.Reminders, Rounds = options.Rounds };
        await MailBench.ForEachDatabaseAsync(options, "bench_mail",
            async run => result.Rows.Add(await RunOneAsync(run.Database, run.ConnectionString, run.ContentRoot, run.Smtp, options)),
            smtp => result.Server = $"aiosmtpd (python3 -m aiosmtpd -n -c aiosmtpd.handlers.Mailbox) on {smtp.Host}:{smtp.Port}");
        return result;
    }

    private static async Task<MailRow> RunOneAsync(string database, string connectionString, string contentRoot, SmtpServer smtp, BenchOptions options)
    {
        var total = options.Reminders;
        var rounds = options.Rounds;
        Console.WriteLine($"## Mail: {database}, {total} due reminders in {rounds} rounds, to {smtp.Host}:{smtp.Port}");
        await using var services = MailBench.BuildServices(database, connectionString, contentRoot, smtp);
        await DatabaseScenario.MigrateAsync(services);
        var smtpOptions = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Workflows.Host.Configuration.SmtpOptions>>().Value;
        var hangfire = services.GetRequiredService<HangfireStorageKind>().Name;
        var workers = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Workflows.Host.Configuration.HangfireOptions>>().Value.WorkerCount;

        await SeedAsync(services, total);
        var outboxJob = services.GetRequiredService<OutboxJob>();

        // The Host's outbox pump and Hangfire's server, nothing else (no timer pump, no start-up tasks).
        var hosted = services.GetServices<IHostedService>()
            .Where(h => h is OutboxPump || h.GetType().Name.Contains("BackgroundJobServer", StringComparison.Ordinal)).ToList();
        if (hosted.Count != 2) throw new InvalidOperationException($"Expected the outbox pump and Hangfire's server, found {hosted.Count} services.");
        foreach (var h in hosted) await h.StartAsync(CancellationToken.None);

        TimeSpan rawElapsed = default, outboxElapsed = default, pickupElapsed = default;
        var sentBefore = 0;
        var verified = true;
        try
        {
            for (var round = 0; round < rounds; round++)
            {
                var count = (round + 1) * total / rounds - round * total / rounds;
                var held = await WriteRemindersAsync(services, round, count);

                // Raw: MailKit alone, the same messages (as OutboxJob builds them), one connection.
                List<MimeMessage> messages;
                await using (var db = await services.GetRequiredService<IDbContextFactory<WorkflowsDbContext>>().CreateDbContextAsync())
                {
                    var rows = await db.Outbox.AsNoTracking().Where(m => held.Contains(m.Id)).ToListAsync();
                    messages = rows.Select(outboxJob.ToMime).ToList();
                }
                var (rawTime, arrived) = await MailBench.SendWithMailKitAsync(smtp, messages);
                rawElapsed += rawTime;
                verified &= arrived;

                // The burst: every held reminder becomes due at once; the pump finds them at its next tick.
                var filesBefore = CountFiles(smtp);
                var t0 = Stopwatch.GetTimestamp();
                await using (var db = await services.GetRequiredService<IDbContextFactory<WorkflowsDbContext>>().CreateDbContextAsync())
                    await db.Outbox.Where(m => held.Contains(m.Id)).ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, (DateTimeOffset?)null));
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60 + count / 20.0);
                var picked = false;
                while (true)
                {
                    await Task.Delay(20);
                    if (!picked && CountFiles(smtp) > filesBefore)
                    {
                        picked = true;
                        pickupElapsed += Stopwatch.GetElapsedTime(t0);
                    }
                    await using var db = await services.GetRequiredService<IDbContextFactory<WorkflowsDbContext>>().CreateDbContextAsync();
                    var sent = await db.Outbox.CountAsync(m => m.Status == OutboxStatus.Sent);
                    if (sent - sentBefore >= count) { sentBefore = sent; break; }
                    if (DateTime.UtcNow > deadline)
                    {
                        Console.WriteLine($"   TIMEOUT: {sent - sentBefore} of {count} sent");
                        verified = false;
                        sentBefore = sent;
                        break;
                    }
                }
                outboxElapsed += Stopwatch.GetElapsedTime(t0);
                verified &= CountFiles(smtp) - filesBefore == count;
            }
        }
        finally
        {
            foreach (var h in hosted) await h.StopAsync(CancellationToken.None);
        }
        await using (var db = await services.GetRequiredService<IDbContextFactory<WorkflowsDbContext>>().CreateDbContextAsync())
        {
            var notSent = await db.Outbox.CountAsync(m => m.Status != OutboxStatus.Sent);
            var attempts = await db.Outbox.CountAsync(m => m.Attempts != 1);
            verified &= notSent == 0 && attempts == 0;
            if (notSent > 0 || attempts > 0) Console.WriteLine($"   verify: {notSent} rows not Sent, {attempts} rows with attempts != 1");
        }

        var row = new MailRow
        {
            Database = database,
            HangfireStorage = hangfire,
            HangfireWorkers = workers,
            BatchSize = smtpOptions.BatchSize,
            PollIntervalMs = smtpOptions.PollInterval.TotalMilliseconds,
            RawEmailsPerSecond = Math.Round(total / rawElapsed.TotalSeconds, 1),
            OutboxEmailsPerSecond = Math.Round(total / outboxElapsed.TotalSeconds, 1),
            Ratio = Math.Round(rawElapsed.TotalSeconds / outboxElapsed.TotalSeconds, 3),
            PickupMs = Math.Round(pickupElapsed.TotalMilliseconds / rounds, 0),
            OutboxEmailsPerSecondAfterPickup = Math.Round(total / (outboxElapsed - pickupElapsed).TotalSeconds, 1),
            LoadAverage = MachineInfo.LoadAverage(),
            Verified = verified,
        };
        Console.WriteLine($"   MailKit alone   {row.RawEmailsPerSecond,10:F1} emails/s (one connection)");
        Console.WriteLine($"   outbox burst    {row.OutboxEmailsPerSecond,10:F1} emails/s (pump every {row.PollIntervalMs} ms, batches of {row.BatchSize}, Hangfire {hangfire} with {workers} workers)");
        Console.WriteLine($"   after pick-up   {row.OutboxEmailsPerSecondAfterPickup,10:F1} emails/s (first message after {row.PickupMs} ms on average)");
        Console.WriteLine($"   ratio           {row.Ratio,10:P1}   (load average {row.LoadAverage}){(verified ? "" : "   VERIFICATION FAILED")}");
        return row;
    }

    private static int CountFiles(SmtpServer smtp) => MailBench.CountFiles(smtp);

    private const string ApplicantId = "bench-applicant";
    private static string Recipient(int i) => $"bench-teacher-{i}";

    /// <summary>The recipients (one per reminder) and the applicant, and the approval definition the reminders name.</summary>
    private static async Task SeedAsync(IServiceProvider services, int recipients)
    {
        var json = await File.ReadAllTextAsync(BenchFiles.Path("approval-3.json"));
        await services.GetRequiredService<Workflows.Host.Definitions.DefinitionStore>().ImportAsync(json, publish: true, DefinitionRecord.SourceFile);
        await using var db = await services.GetRequiredService<IDbContextFactory<WorkflowsDbContext>>().CreateDbContextAsync();
        var now = DateTimeOffset.UtcNow;
        db.Users.Add(new UserRecord { Id = ApplicantId, Email = "applicant@bench.local", Name = "申请人", CreatedAt = now });
        for (var i = 0; i < recipients; i++)
            db.Users.Add(new UserRecord { Id = Recipient(i), Email = $"teacher-{i}@bench.local", Name = $"教师{i}", CreatedAt = now });
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// <paramref name="count"/> reminders of round <paramref name="round"/>, each to its own recipient, written as a firing
    /// reminder timer writes them (in-app notification + outbox row), but held back (NextAttemptAt far ahead) until the burst.
    /// </summary>
    private static async Task<List<Guid>> WriteRemindersAsync(IServiceProvider services, int round, int count)
    {
        var reminders = services.GetRequiredService<TaskNotifications>();
        var held = new List<Guid>(count);
        var later = DateTimeOffset.UtcNow.AddYears(1);
        var due = DateTimeOffset.UtcNow.AddHours(-2).ToString("O", CultureInfo.InvariantCulture);
        const int chunk = 500;
        for (var from = 0; from < count; from += chunk)
        {
            await using var db = await services.GetRequiredService<IDbContextFactory<WorkflowsDbContext>>().CreateDbContextAsync();
            foreach (var i in Enumerable.Range(from, Math.Min(chunk, count - from)))
            {
                var index = round * 1_000_000 + i;
                var state = new WorkflowState
                {
                    InstanceId = $"bench-instance-{index}", DefinitionId = ApprovalScenario.DefinitionId, DefinitionVersion = 1, InitiatorId = ApplicantId,
                };
                reminders.Reminder(db, state, "校长审批", [Recipient(RecipientIndex(round, i))], due);
            }
            foreach (var row in db.Outbox.Local.Where(r => r.NextAttemptAt is null))
            {
                row.NextAttemptAt = later;
                held.Add(row.Id);
            }
            await db.SaveChangesAsync();
        }
        if (held.Count != count) throw new InvalidOperationException($"Expected {count} outbox rows, got {held.Count}.");
        return held;
    }

    private static int RecipientIndex(int round, int i) => i; // every round mails the same people: one reminder each per round
}

/// <summary>Template files for the scenarios' content roots.</summary>
internal static class ApprovalScenarioFiles
{
    /// <summary>The notification templates (task-assigned, task-reminder, …) and working-day calendars of the repository, where the Host reads them.</summary>
    public static void CopyTemplates(string contentRoot)
    {
        foreach (var folder in new[] { "templates", "calendars" })
        {
            var target = Directory.CreateDirectory(Path.Combine(contentRoot, "definitions", folder)).FullName;
            foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, folder)))
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }
    }
}

internal sealed class MailResult
{
    public int Reminders { get; init; }
    public int Rounds { get; init; }
    public string Server { get; set; } = "";
    public List<MailRow> Rows { get; } = [];
    public bool Verified => Rows.All(r => r.Verified);

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"Mail scenario: a burst of {Reminders:N0} due task reminders (task-reminder template, one recipient each) in {Rounds} interleaved rounds, " +
            $"delivered by the Host's outbox (OutboxPump → one Hangfire job per batch → OutboxJob, one SMTP connection per batch) to {Server}; " +
            "raw = MailKit alone sending the same messages to the same server over one connection; ratio = outbox emails/s ÷ raw emails/s.");
        sb.AppendLine();
        sb.AppendLine("| database | Hangfire storage | workers | batch | poll ms | raw emails/s | outbox emails/s | ratio | first email after ms | outbox emails/s after it |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in Rows)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Database} | {r.HangfireStorage} | {r.HangfireWorkers} | {r.BatchSize} | {r.PollIntervalMs:F0} | {r.RawEmailsPerSecond:F0} | {r.OutboxEmailsPerSecond:F0} | {r.Ratio:F3}{(r.Verified ? "" : " (UNVERIFIED)")} | {r.PickupMs:F0} | {r.OutboxEmailsPerSecondAfterPickup:F0} |"));
        return sb.ToString();
    }
}

internal sealed class MailRow
{
    public required string Database { get; init; }
    public string HangfireStorage { get; init; } = "";
    public int HangfireWorkers { get; init; }
    public int BatchSize { get; init; }
    public double PollIntervalMs { get; init; }
    public double RawEmailsPerSecond { get; init; }
    /// <summary>From the moment the reminders became due to the moment the last of them was marked Sent.</summary>
    public double OutboxEmailsPerSecond { get; init; }
    public double Ratio { get; init; }
    /// <summary>Mean time from the burst to the first message in the mailbox (the pump's next tick, Hangfire's pick-up, connect).</summary>
    public double PickupMs { get; init; }
    /// <summary>The outbox rate counted from the first message in the mailbox to the last row marked Sent.</summary>
    public double OutboxEmailsPerSecondAfterPickup { get; init; }
    public string? LoadAverage { get; init; }
    public bool Verified { get; init; }
}
