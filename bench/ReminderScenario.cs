using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Workflows.Host;
using Workflows.Host.Notifications;
using Workflows.Host.Runtime;
using Workflows.Host.Scheduling;
using Workflows.Persistence;
using Workflows.Persistence.Entities;
using Workflows.Testing;

namespace Workflows.Bench;

/// <summary>
/// The reminder burst end to end: <c>--reminders</c> instances of a one-step approval with a daily reminder are started
/// through <see cref="WorkflowRuntime.StartAsync"/> (so each waits on its approval bookmark with a reminder timer, as the
/// Host writes them), then every reminder timer is made due at once (DueAt moved into the past, the wake-up jobs the
/// scheduler left a working day ahead stay where they are). From there the Host's own path runs: <see cref="TimerPump"/>
/// claims due timers and hands them to Hangfire, <see cref="TimerJob"/> fires each through the runtime (the approval step
/// sends its reminder: an outbox row), <see cref="OutboxPump"/> and <see cref="OutboxJob"/> deliver it. Timed until every
/// reminder email is in the SMTP maildir. Raw = MailKit alone sending the same messages over one connection.
/// </summary>
internal static class ReminderScenario
{
    private const string DefinitionId = "bench-reminder-1";
    private const string ApplicantId = "bench-applicant";
    private static string Approver(int i) => $"bench-approver-{i}";

    public static Task RunAsync(BenchOptions options) =>
        MailBench.ForEachDatabaseAsync(options, "bench_reminders",
            run => RunOneAsync(run.Database, run.ConnectionString, run.ContentRoot, run.Smtp, options));

    private static async Task RunOneAsync(string database, string connectionString, string contentRoot, SmtpServer smtp, BenchOptions options)
    {
        var total = options.Reminders;
        Console.WriteLine($"## Reminders: {database}, {total} approval tasks whose reminder timers become due at once, to {smtp.Host}:{smtp.Port}");
        await using var services = MailBench.BuildServices(database, connectionString, contentRoot, smtp);
        await DatabaseScenario.MigrateAsync(services);
        var hangfire = services.GetRequiredService<HangfireStorageKind>().Name;
        var workers = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Workflows.Host.Configuration.HangfireOptions>>().Value.WorkerCount;
        var contexts = services.GetRequiredService<IDbContextFactory<WorkflowsDbContext>>();

        // Seed: users, the definition, and the instances (each waits on its approval with a reminder timer a working day ahead).
        var json = await File.ReadAllTextAsync(BenchFiles.Path("reminder-1.json"));
        await services.GetRequiredService<Workflows.Host.Definitions.DefinitionStore>().ImportAsync(json, publish: true, DefinitionRecord.SourceFile);
        await using (var db = await contexts.CreateDbContextAsync())
        {
            var now = DateTimeOffset.UtcNow;
            db.Users.Add(new UserRecord { Id = ApplicantId, Email = "applicant@bench.local", Name = "申请人", CreatedAt = now });
            for (var i = 0; i < total; i++)
                db.Users.Add(new UserRecord { Id = Approver(i), Email = $"approver-{i}@bench.local", Name = $"审批人 {i}", CreatedAt = now });
            await db.SaveChangesAsync();
        }
        var runtime = services.GetRequiredService<WorkflowRuntime>();
        var applicant = new Actor("申请人", "127.0.0.1", "bench", ApplicantId);
        var seed = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < total; i = Interlocked.Increment(ref next))
            {
                var input = new JsonObject { ["title"] = $"调课申请 {i}", ["assignees"] = new JsonObject { ["s1"] = new JsonArray(Approver(i)) } };
                await runtime.StartAsync(DefinitionId, null, input, null, applicant);
            }
        })));
        int timers;
        await using (var db = await contexts.CreateDbContextAsync())
        {
            timers = await db.Timers.CountAsync(t => t.Status == TimerStatus.Pending);
            // The task-assigned emails of the starts are not part of the burst.
            await db.Outbox.ExecuteDeleteAsync();
        }
        Console.WriteLine($"   seeded {total} instances ({timers} pending reminder timers) in {seed.Elapsed.TotalSeconds:F1} s");
        if (timers != total) throw new InvalidOperationException($"Expected {total} reminder timers, found {timers}.");

        // The Host's timer pump, outbox pump and Hangfire's server.
        var hosted = services.GetServices<IHostedService>()
            .Where(h => h is OutboxPump || h is TimerPump || h.GetType().Name.Contains("BackgroundJobServer", StringComparison.Ordinal)).ToList();
        if (hosted.Count != 3) throw new InvalidOperationException($"Expected the timer pump, the outbox pump and Hangfire's server, found {hosted.Count} services.");
        foreach (var h in hosted) await h.StartAsync(CancellationToken.None);
        var verified = true;
        TimeSpan rawElapsed, burstElapsed, pickup = default;
        try
        {
            // The burst: every reminder becomes due at once.
            var filesBefore = CountFiles(smtp);
            var t0 = Stopwatch.GetTimestamp();
            await using (var db = await contexts.CreateDbContextAsync())
                await db.Timers.Where(t => t.Status == TimerStatus.Pending).ExecuteUpdateAsync(s => s.SetProperty(t => t.DueAt, DateTimeOffset.UtcNow.AddMinutes(-5)));
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120 + total / 10.0);
            var picked = false;
            while (true)
            {
                await Task.Delay(50);
                var files = CountFiles(smtp) - filesBefore;
                if (!picked && files > 0) { picked = true; pickup = Stopwatch.GetElapsedTime(t0); }
                if (files >= total) break;
                if (DateTime.UtcNow > deadline)
                {
                    Console.WriteLine($"   TIMEOUT: {files} of {total} emails in the maildir");
                    verified = false;
                    break;
                }
            }
            burstElapsed = Stopwatch.GetElapsedTime(t0);
            verified &= CountFiles(smtp) - filesBefore == total;
        }
        finally
        {
            foreach (var h in hosted) await h.StopAsync(CancellationToken.None);
        }

        await using (var db = await contexts.CreateDbContextAsync())
        {
            var fired = await db.Timers.CountAsync(t => t.Status == TimerStatus.Fired);
            var rows = await db.Outbox.AsNoTracking().ToListAsync();
            var notSent = rows.Count(r => r.Status != OutboxStatus.Sent);
            verified &= fired == total && rows.Count == total && notSent == 0;
            Console.WriteLine($"   verify: {fired} timers fired, {rows.Count} outbox rows, {notSent} not Sent");
            // Raw: MailKit alone, the same messages, one connection.
            var outboxJob = services.GetRequiredService<OutboxJob>();
            var messages = rows.Select(outboxJob.ToMime).ToList();
            (rawElapsed, var arrived) = await MailBench.SendWithMailKitAsync(smtp, messages);
            verified &= arrived;
        }

        var raw = total / rawElapsed.TotalSeconds;
        var burst = total / burstElapsed.TotalSeconds;
        Console.WriteLine($"   MailKit alone   {raw,10:F1} emails/s (one connection)");
        Console.WriteLine($"   reminder burst  {burst,10:F1} emails/s (timers due → maildir, {burstElapsed.TotalSeconds:F1} s; first email after {pickup.TotalMilliseconds:F0} ms; Hangfire {hangfire} with {workers} workers)");
        Console.WriteLine($"   ratio           {burst / raw,10:P1}   (load average {MachineInfo.LoadAverage()}){(verified ? "" : "   VERIFICATION FAILED")}");
        if (!verified) Environment.ExitCode = 1;
    }

    private static int CountFiles(SmtpServer smtp) => MailBench.CountFiles(smtp);
}
