using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Host.Notifications;
using Workflows.Host.Tests.Support;
using Workflows.Testing;
using static Workflows.Host.Tests.Notifications.NotificationTestKit;

namespace Workflows.Host.Tests.Notifications;

/// <summary>One-time links: valid once, only for their user and purpose, until they expire; concurrent use has one winner.</summary>
public abstract class ActionLinkTests : HostTestBase
{
    private const string Alice = "alice";
    private const string Bob = "bob";

    private async Task<(TestHost Host, ActionLinkService Links)> StartAsync()
    {
        // No mail is sent here, so the pickup folder is never created.
        var host = await StartHostAsync(settings: PickupSettings(Path.Combine(Path.GetTempPath(), $"workflows-pickup-{Guid.NewGuid():N}")));
        return (host, host.Services.GetRequiredService<ActionLinkService>());
    }

    [Fact]
    public async Task A_link_works_once_for_its_user_and_only_its_hash_is_stored()
    {
        var (host, links) = await StartAsync();

        var link = await links.CreateAsync(Alice, LinkPurpose.Approve, "task-7", ct: Ct);

        Assert.Matches("^[A-Za-z0-9_-]{43}$", link.Token);
        Assert.Equal($"{BaseUrl}/links/approve?token={link.Token}", link.Url);
        Assert.Equal(TestHost.T0 + TimeSpan.FromDays(7), link.ExpiresAt);
        await using (var db = host.OpenDb())
        {
            var row = await db.ActionLinks.AsNoTracking().SingleAsync(Ct);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(link.Token))), row.TokenHash);
            Assert.NotEqual(link.Token, row.TokenHash);
            Assert.Equal((Alice, "approve", "task-7", (DateTimeOffset?)null), (row.UserId, row.Purpose, row.TaskId, row.UsedAt));
        }

        var first = await links.RedeemAsync(link.Token, LinkPurpose.Approve, Alice, Ct);
        var second = await links.RedeemAsync(link.Token, LinkPurpose.Approve, Alice, Ct);

        Assert.Equal(new RedeemResult(RedeemStatus.Ok, Alice, "task-7"), first);
        Assert.True(first.IsOk);
        Assert.Equal(RedeemStatus.Used, second.Status);
        Assert.Null(second.UserId);
        await using var check = host.OpenDb();
        Assert.Equal(TestHost.T0, (await check.ActionLinks.AsNoTracking().SingleAsync(Ct)).UsedAt);
    }

    [Fact]
    public async Task Malformed_unknown_altered_and_misdirected_tokens_are_refused_as_tampered()
    {
        var (_, links) = await StartAsync();
        var link = await links.CreateAsync(Alice, LinkPurpose.Approve, "task-7", ct: Ct);
        var altered = (link.Token[0] == 'A' ? "B" : "A") + link.Token[1..];
        var other = await links.CreateAsync(Alice, LinkPurpose.Approve, "task-7", ct: Ct);
        var forged = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        foreach (var token in new[] { null, "", "abc", altered, forged, link.Token + "A", link.Token[..42], link.Token.Replace(link.Token[5], '+'),
                     link.Token.ToUpperInvariant() == link.Token ? link.Token.ToLowerInvariant() : link.Token.ToUpperInvariant(), $" {link.Token}" })
            Assert.Equal(RedeemStatus.Tampered, (await links.RedeemAsync(token, LinkPurpose.Approve, Alice, Ct)).Status);
        // A real token at the wrong endpoint: an approve link cannot reject.
        Assert.Equal(RedeemStatus.Tampered, (await links.RedeemAsync(link.Token, LinkPurpose.Reject, Alice, Ct)).Status);
        Assert.Equal(RedeemStatus.Tampered, (await links.RedeemAsync(link.Token, LinkPurpose.SignIn, null, Ct)).Status);

        // None of that used the link up.
        Assert.Equal(RedeemStatus.Ok, (await links.RedeemAsync(link.Token, LinkPurpose.Approve, Alice, Ct)).Status);
        Assert.Equal(RedeemStatus.Ok, (await links.RedeemAsync(other.Token, LinkPurpose.Approve, Alice, Ct)).Status);
    }

    [Fact]
    public async Task A_link_stops_working_when_it_expires()
    {
        var (host, links) = await StartAsync();
        var week = await links.CreateAsync(Alice, LinkPurpose.Reject, "task-1", ct: Ct);
        var stillValid = await links.CreateAsync(Alice, LinkPurpose.Reject, "task-1", ct: Ct);
        var shortLived = await links.CreateAsync(Alice, LinkPurpose.Open, "task-1", lifetime: TimeSpan.FromHours(1), ct: Ct);
        var signIn = await links.CreateAsync(Alice, LinkPurpose.SignIn, ct: Ct);
        Assert.Equal(TestHost.T0 + TimeSpan.FromMinutes(30), signIn.ExpiresAt);

        host.Time.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(RedeemStatus.Expired, (await links.RedeemAsync(signIn.Token, LinkPurpose.SignIn, null, Ct)).Status);
        host.Time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(RedeemStatus.Expired, (await links.RedeemAsync(shortLived.Token, LinkPurpose.Open, Alice, Ct)).Status);

        host.Time.SetUtcNow(TestHost.T0 + TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        Assert.Equal(RedeemStatus.Ok, (await links.RedeemAsync(stillValid.Token, LinkPurpose.Reject, Alice, Ct)).Status);
        host.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(RedeemStatus.Expired, (await links.RedeemAsync(week.Token, LinkPurpose.Reject, Alice, Ct)).Status);
        host.Time.Advance(TimeSpan.FromDays(30));
        Assert.Equal(RedeemStatus.Expired, (await links.RedeemAsync(week.Token, LinkPurpose.Reject, Alice, Ct)).Status);
        await using var db = host.OpenDb();
        Assert.Equal(1, await db.ActionLinks.CountAsync(l => l.UsedAt != null, Ct));
    }

    [Fact]
    public async Task Another_signed_in_user_cannot_use_the_link_and_does_not_use_it_up()
    {
        var (_, links) = await StartAsync();
        var link = await links.CreateAsync(Alice, LinkPurpose.Approve, "task-7", ct: Ct);

        Assert.Equal(RedeemStatus.WrongUser, (await links.RedeemAsync(link.Token, LinkPurpose.Approve, Bob, Ct)).Status);
        Assert.Equal(RedeemStatus.WrongUser, (await links.RedeemAsync(link.Token, LinkPurpose.Approve, null, Ct)).Status);
        Assert.Equal(RedeemStatus.WrongUser, (await links.RedeemAsync(link.Token, LinkPurpose.Approve, "ALICE", Ct)).Status);

        Assert.Equal(RedeemStatus.Ok, (await links.RedeemAsync(link.Token, LinkPurpose.Approve, Alice, Ct)).Status);
        // After use the other user still learns nothing but "not yours".
        Assert.Equal(RedeemStatus.WrongUser, (await links.RedeemAsync(link.Token, LinkPurpose.Approve, Bob, Ct)).Status);
    }

    [Fact]
    public async Task A_sign_in_link_needs_nobody_signed_in_and_names_its_user()
    {
        var (_, links) = await StartAsync();
        var link = await links.CreateAsync(Alice, LinkPurpose.SignIn, ct: Ct);

        Assert.Equal($"{BaseUrl}/links/signin?token={link.Token}", link.Url);
        Assert.Equal(new RedeemResult(RedeemStatus.Ok, Alice, null), await links.RedeemAsync(link.Token, LinkPurpose.SignIn, null, Ct));
        Assert.Equal(RedeemStatus.Used, (await links.RedeemAsync(link.Token, LinkPurpose.SignIn, null, Ct)).Status);
    }

    [Fact]
    public async Task Task_links_need_a_task_and_a_known_purpose()
    {
        var (host, links) = await StartAsync();
        await using var db = host.OpenDb();

        Assert.Throws<ArgumentException>(() => links.Create(db, Alice, LinkPurpose.Approve));
        Assert.Throws<ArgumentException>(() => links.Create(db, Alice, "delete-everything", "task-1"));
        Assert.Throws<ArgumentException>(() => links.Create(db, "", LinkPurpose.Open, "task-1"));
    }

    [Fact]
    public async Task Of_concurrent_redemptions_of_one_link_exactly_one_succeeds()
    {
        var (_, links) = await StartAsync();
        for (var round = 0; round < 10; round++)
        {
            var link = await links.CreateAsync(Alice, LinkPurpose.Approve, $"task-{round}", ct: Ct);
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var attempts = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                await gate.Task;
                return await links.RedeemAsync(link.Token, LinkPurpose.Approve, Alice, Ct);
            }, Ct)).ToList();
            gate.SetResult();
            var results = await Task.WhenAll(attempts);

            Assert.Equal(1, results.Count(r => r.Status == RedeemStatus.Ok));
            Assert.All(results.Where(r => !r.IsOk), r => Assert.Equal(RedeemStatus.Used, r.Status));
        }
    }
}

public sealed class SqliteActionLinkTests : ActionLinkTests
{
    private readonly SqliteDatabases _databases = new();
    protected override Task<TestDatabase> NewDatabaseAsync() => Task.FromResult(_databases.Create());
    protected override void Cleanup() => _databases.Dispose();
}

public sealed class PostgreSqlActionLinkTests(PostgresServer server) : ActionLinkTests
{
    protected override Task<TestDatabase> NewDatabaseAsync() => new PostgresDatabases(server).CreateAsync();
}
