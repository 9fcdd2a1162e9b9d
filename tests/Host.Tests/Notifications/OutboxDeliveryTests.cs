using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Workflows.Host.Notifications;
using Workflows.Host.Tests.Support;
using Workflows.Persistence.Entities;
using Workflows.Testing;
using static Workflows.Host.Tests.Notifications.NotificationTestKit;

namespace Workflows.Host.Tests.Notifications;

/// <summary>
/// OutboxPump + OutboxJob against a real SMTP server that each test starts (and stops) itself. The Host's clock is a
/// FakeTimeProvider: the tests move it past the backoff and then poll the maildir and the rows with a deadline.
/// </summary>
public abstract class OutboxDeliveryTests : HostTestBase
{
    [Fact]
    public async Task Mail_queued_during_an_outage_is_retried_and_every_message_arrives_exactly_once_after_it()
    {
        await using var smtp = await SmtpServer.StartNewAsync();
        smtp.Stop();
        // Batches of 30: the 100 rows travel as four jobs, each on one connection.
        var host = await StartHostAsync(settings: SmtpSettings(smtp, ("Smtp:BatchSize", "30")));
        var users = await AddUsersAsync(host, 100);

        var queued = await EnqueueAsync(host, Notify(users));
        Assert.Equal(100, queued.Count);

        // The server is down: every row is tried, fails, and waits for its backoff — none is lost, none is sent.
        var failed = await WaitForOutboxAsync(host, 100, r => r.Attempts == 1 && r.LockedBy is null, "a first failed attempt on every row");
        Assert.All(failed, r =>
        {
            Assert.Equal(OutboxStatus.Pending, r.Status);
            Assert.Null(r.SentAt);
            Assert.Equal(host.Time.GetUtcNow() + TimeSpan.FromSeconds(10), r.NextAttemptAt);
            Assert.False(string.IsNullOrEmpty(r.LastError));
        });
        Assert.Empty(smtp.ReadMessages());

        // Past the first backoff, still down: a second attempt, twice the wait.
        host.Time.Advance(TimeSpan.FromSeconds(11));
        failed = await WaitForOutboxAsync(host, 100, r => r.Attempts == 2 && r.LockedBy is null, "a second failed attempt on every row");
        Assert.All(failed, r => Assert.Equal(host.Time.GetUtcNow() + TimeSpan.FromSeconds(20), r.NextAttemptAt));
        Assert.Empty(smtp.ReadMessages());

        // The server is back; nothing is due until the clock passes the backoff.
        await smtp.StartAsync();
        host.Time.Advance(TimeSpan.FromSeconds(21));
        var messages = await smtp.WaitForMessagesAsync(100, TimeSpan.FromSeconds(60));
        var sent = await WaitForOutboxAsync(host, 100, r => r.Status == OutboxStatus.Sent, "every row sent");

        Assert.All(sent, r =>
        {
            Assert.Equal(3, r.Attempts);
            Assert.Equal(host.Time.GetUtcNow(), r.SentAt);
            Assert.Null(r.LastError);
            Assert.Null(r.LockedBy);
        });
        Assert.Equal(100, smtp.ReadMessages().Count); // nothing more trickles in
        Assert.Equal(sent.Select(r => Bare(r.MessageId)).Order(StringComparer.Ordinal),
            messages.Select(m => m.MessageId!).Order(StringComparer.Ordinal)); // each Message-Id exactly once
        Assert.Equal(users.Select(u => $"{u}@school.example").Order(StringComparer.Ordinal),
            messages.SelectMany(m => m.To).Order(StringComparer.Ordinal));
        Assert.All(messages, m => Assert.StartsWith("【通知】期末工作安排", m.Subject));
    }

    [Fact]
    public async Task A_row_that_keeps_failing_ends_Failed_after_MaxAttempts_and_is_kept()
    {
        await using var smtp = await SmtpServer.StartNewAsync();
        smtp.Stop();
        var host = await StartHostAsync(settings: SmtpSettings(smtp, ("Smtp:MaxAttempts", "3")));
        var users = await AddUsersAsync(host, 3);
        await EnqueueAsync(host, Notify(users));

        await WaitForOutboxAsync(host, 3, r => r.Attempts == 1 && r.LockedBy is null, "attempt 1");
        host.Time.Advance(TimeSpan.FromSeconds(10));
        await WaitForOutboxAsync(host, 3, r => r.Attempts == 2 && r.LockedBy is null, "attempt 2");
        host.Time.Advance(TimeSpan.FromSeconds(20));
        var rows = await WaitForOutboxAsync(host, 3, r => r.Status == OutboxStatus.Failed, "given up");

        Assert.All(rows, r =>
        {
            Assert.Equal(3, r.Attempts);
            Assert.Null(r.NextAttemptAt);
            Assert.Null(r.SentAt);
            Assert.Null(r.LockedBy);
            Assert.False(string.IsNullOrEmpty(r.LastError));
        });
        // A Failed row is never picked up again, even when the server is back.
        await smtp.StartAsync();
        host.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await host.Services.GetRequiredService<OutboxPump>().ScanAsync(Ct));
        Assert.Empty(smtp.ReadMessages());
    }

    [Fact]
    public async Task Without_an_smtp_host_mail_is_written_as_eml_files_under_the_content_root()
    {
        var relative = Path.Combine("data", $"mail-test-{Guid.NewGuid():N}");
        var folder = Path.Combine(Paths.RepoRoot, relative);
        try
        {
            var host = await StartHostAsync(settings: PickupSettings(relative));
            var users = await AddUsersAsync(host, 3);

            var queued = await EnqueueAsync(host, Notify(users));

            var rows = await WaitForOutboxAsync(host, 3, r => r.Status == OutboxStatus.Sent, "written to the pickup folder");
            Assert.Equal(queued.Select(r => $"{r.Id:N}.eml").Order(StringComparer.Ordinal),
                Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            foreach (var row in rows)
            {
                var message = await MimeMessage.LoadAsync(Path.Combine(folder, $"{row.Id:N}.eml"), Ct);
                Assert.Equal(Bare(row.MessageId), message.MessageId);
                Assert.Equal(row.Subject, message.Subject);
                Assert.StartsWith("【通知】期末工作安排", message.Subject);
                Assert.Equal(row.To, message.To.Mailboxes.Single().Address);
                Assert.Equal("workflows@county-edu.example", message.From.Mailboxes.Single().Address);
                Assert.Equal(row.BodyText, message.TextBody);
                Assert.Contains("请于周五前提交成绩。", message.HtmlBody);
                Assert.Equal(1, row.Attempts);
            }
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_pump_claims_never_tried_rows_first_and_two_claims_never_share_a_row()
    {
        // An hour between scans: the test drives the pump itself.
        var pickup = Directory.CreateTempSubdirectory("workflows-pickup-").FullName;
        var host = await StartHostAsync(settings: PickupSettings(pickup, ("Smtp:PollInterval", "01:00:00"), ("Smtp:BatchSize", "10")));
        var pump = await IdlePumpAsync(host);
        var now = host.Time.GetUtcNow();
        await using (var db = host.OpenDb())
        {
            for (var i = 0; i < 50; i++)
            {
                var id = Guid.NewGuid();
                db.Outbox.Add(new OutboxMessage
                {
                    Id = id, MessageId = $"<{id:N}@workflows.local>", To = $"p{i:00}@school.example", Subject = $"s{i}", BodyText = "b",
                    CreatedAt = now,
                    // 10 never tried (NULL), 30 retries already due, 10 not due yet
                    NextAttemptAt = i < 10 ? null : i < 40 ? now - TimeSpan.FromMinutes(i) : now + TimeSpan.FromMinutes(5),
                    Attempts = i < 10 ? 0 : 1,
                });
            }
            await db.SaveChangesAsync(Ct);
        }

        var first = await pump.ClaimBatchAsync(Ct);
        await using (var db = host.OpenDb())
        {
            var claimed = await db.Outbox.AsNoTracking().Where(m => first.Contains(m.Id)).ToListAsync(Ct);
            Assert.Equal(10, claimed.Count);
            Assert.All(claimed, m => Assert.Null(m.NextAttemptAt)); // NULLs first, on every database
            Assert.All(claimed, m => Assert.Equal(now + OutboxPump.ClaimLease, m.LockedUntil));
        }

        // Concurrent claims (as from several Hosts) never take a row twice; a claim that lost the race gets fewer rows
        // or none and leaves the rest to the next scan. The not-yet-due rows stay.
        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => pump.ClaimBatchAsync(Ct), Ct)));
        var all = claims.SelectMany(c => c).ToList();
        Assert.NotEmpty(all);
        for (var next = await pump.ClaimBatchAsync(Ct); next.Count > 0; next = await pump.ClaimBatchAsync(Ct)) all.AddRange(next);
        Assert.Equal(30, all.Count);
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.DoesNotContain(all, first.Contains);

        // A claim whose job never ran runs out, and the rows are claimed again.
        host.Time.Advance(OutboxPump.ClaimLease + TimeSpan.FromSeconds(1));
        var again = await pump.ClaimBatchAsync(Ct);
        Assert.Equal(10, again.Count);
        Directory.Delete(pickup, recursive: true);
    }

    [Fact]
    public async Task A_batch_job_run_twice_sends_each_row_once()
    {
        await using var smtp = await SmtpServer.StartNewAsync();
        var host = await StartHostAsync(settings: SmtpSettings(smtp, ("Smtp:PollInterval", "01:00:00")));
        var pump = await IdlePumpAsync(host);
        var users = await AddUsersAsync(host, 5);
        await EnqueueAsync(host, Notify(users));
        var ids = (await pump.ClaimBatchAsync(Ct)).Select(g => g.ToString()).ToArray();
        Assert.Equal(5, ids.Length);

        // Two runs of the same job at once (a Hangfire retry, a second worker): the claim moves to one of them.
        using var scope = host.Services.CreateScope();
        await Task.WhenAll(
            Task.Run(() => scope.ServiceProvider.GetRequiredService<OutboxJob>().SendBatchAsync(ids, Ct), Ct),
            Task.Run(() => scope.ServiceProvider.GetRequiredService<OutboxJob>().SendBatchAsync(ids, Ct), Ct));
        await scope.ServiceProvider.GetRequiredService<OutboxJob>().SendBatchAsync(ids, Ct);

        var rows = await WaitForOutboxAsync(host, 5, r => r.Status == OutboxStatus.Sent, "sent");
        Assert.All(rows, r => Assert.Equal(1, r.Attempts));
        var messages = smtp.ReadMessages();
        Assert.Equal(5, messages.Count);
        Assert.Equal(5, messages.Select(m => m.MessageId).Distinct().Count());
    }

    /// <summary>With Smtp:PollInterval an hour, the pump's background loop is idle once its first scan is over.</summary>
    private static async Task<OutboxPump> IdlePumpAsync(TestHost host)
    {
        var pump = host.Services.GetRequiredService<OutboxPump>();
        await HostApi.Eventually(() => Task.FromResult(pump.CompletedScans > 0 ? pump : null), TimeSpan.FromSeconds(30));
        return pump;
    }
}

public sealed class SqliteOutboxDeliveryTests : OutboxDeliveryTests
{
    private readonly SqliteDatabases _databases = new();
    protected override Task<TestDatabase> NewDatabaseAsync() => Task.FromResult(_databases.Create());
    protected override void Cleanup() => _databases.Dispose();
}

public sealed class PostgreSqlOutboxDeliveryTests(PostgresServer server) : OutboxDeliveryTests
{
    protected override Task<TestDatabase> NewDatabaseAsync() => new PostgresDatabases(server).CreateAsync();
}
