using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Workflows.Host.Tests.Support;
using Workflows.Persistence.Entities;
using Workflows.Testing;

namespace Workflows.Host.Tests.Scenarios;

/// <summary>
/// A scenario on the demo county: a Host that loads definitions/ and mails through a real SMTP server, people signed
/// in once and reused, the clock moved by the test (never slept) and the Host's background work awaited with a deadline.
/// </summary>
internal sealed class ScenarioKit(TestHost host, SmtpServer smtp)
{
    private readonly ConcurrentDictionary<string, Task<HttpClient>> _clients = new(StringComparer.Ordinal);

    public TestHost Host => host;
    public SmtpServer Smtp => smtp;
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>China Standard Time, e.g. "2026-08-15 08:00".</summary>
    public static DateTimeOffset At(string chinaTime) =>
        DateTimeOffset.Parse(chinaTime + " +08:00", System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime();

    public static Dictionary<string, string?> Settings(SmtpServer smtp) => new()
    {
        ["Smtp:Host"] = smtp.Host,
        ["Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Smtp:PollInterval"] = "00:00:00.100",
        ["Workflows:PublicBaseUrl"] = "http://localhost",
        ["Workflows:LoadDefinitionsOnStart"] = "true",
        // One batch instance holds every teacher: timers due at the same moment race for it, so let them retry more.
        ["Workflows:MaxConcurrencyRetries"] = "100",
    };

    /// <summary>A client signed in as <paramref name="email"/> (one sign-in per person per scenario).</summary>
    public Task<HttpClient> As(string email) => _clients.GetOrAdd(email, e => host.ClientForAsync(e));

    // People --------------------------------------------------------------------------------------------

    /// <summary>The email of the holder of <paramref name="role"/> in <paramref name="scopeId"/> (the demo has one each).</summary>
    public async Task<string> HolderAsync(string role, string scopeId)
    {
        await using var db = host.OpenDb();
        return await db.RoleAssignments.Where(r => r.Role == role && r.ScopeId == scopeId)
            .Join(db.Users, r => r.UserId, u => u.Id, (r, u) => u.Email).SingleAsync(Ct);
    }

    public async Task<List<UserRecord>> TeachersOfAsync(params string[] schoolIds)
    {
        await using var db = host.OpenDb();
        return await db.Users.AsNoTracking()
            .Where(u => u.SchoolId != null && schoolIds.Contains(u.SchoolId) && db.RoleAssignments.Any(r => r.UserId == u.Id && r.Role == "Teacher"))
            .OrderBy(u => u.Id).ToListAsync(Ct);
    }

    // Time ----------------------------------------------------------------------------------------------

    /// <summary>
    /// Moves the clock to <paramref name="at"/> and waits until every timer due by then has fired and the instances
    /// are at rest (suspended or finished), so that what the timers produced (tasks, mail rows) is there.
    /// </summary>
    public async Task AdvanceToAsync(DateTimeOffset at)
    {
        Assert.True(at >= host.Time.GetUtcNow(), $"The clock only moves forward ({host.Time.GetUtcNow():O} → {at:O}).");
        // Mail in flight first: the outbox's claims are leased by the Host's clock, and a jump past a lease would let
        // the pump claim (and send) a batch again that is still being sent.
        await MailAsync();
        host.Time.SetUtcNow(at);
        await SettleAsync(TimeSpan.FromSeconds(90));
    }

    public async Task SettleAsync(TimeSpan? timeout = null)
    {
        var cutoff = host.Time.GetUtcNow();
        await HostApi.Eventually<object>(async () =>
        {
            await using var db = host.OpenDb();
            var due = await db.Timers.CountAsync(t => t.Status == TimerStatus.Pending && t.DueAt <= cutoff, Ct);
            var busy = await db.Instances.CountAsync(i => i.SubStatus == "Executing", Ct);
            return due == 0 && busy == 0 ? new object() : null;
        }, timeout ?? TimeSpan.FromSeconds(60), () => string.Join(Environment.NewLine, host.Log.TakeLast(30)));
    }

    // Tasks ---------------------------------------------------------------------------------------------

    public async Task<List<JsonObject>> PendingAsync(string email, string? stepStartsWith = null)
    {
        var client = await As(email);
        var response = await client.GetAsync("/api/tasks?status=pending&pageSize=200", Ct).Expect(HttpStatusCode.OK);
        return (await response.ReadObjectAsync())["items"]!.AsArray().OfType<JsonObject>()
            .Where(t => stepStartsWith is null || t["stepName"]!.ToString().StartsWith(stepStartsWith, StringComparison.Ordinal))
            .ToList();
    }

    /// <summary>Waits until <paramref name="email"/> has at least <paramref name="count"/> pending tasks of a step.</summary>
    public Task<List<JsonObject>> WaitForTasksAsync(string email, string stepStartsWith, int count = 1) =>
        HostApi.Eventually<List<JsonObject>>(async () =>
        {
            var tasks = await PendingAsync(email, stepStartsWith);
            return tasks.Count >= count ? tasks : null;
        }, TimeSpan.FromSeconds(60), () => $"{email} has no {count} task(s) '{stepStartsWith}…'");

    /// <summary>The single pending task of <paramref name="email"/> whose step name is exactly <paramref name="stepName"/>.</summary>
    public async Task<JsonObject> TaskAsync(string email, string stepName) =>
        Assert.Single(await WaitForTasksAsync(email, stepName), t => t["stepName"]!.ToString() == stepName);

    public async Task<JsonObject> ActAsync(string email, JsonObject task, string action, JsonObject? fields = null, string? comment = null)
    {
        var body = new JsonObject { ["action"] = action };
        if (comment is not null) body["comment"] = comment;
        if (fields is not null) body["fields"] = fields.DeepClone();
        var client = await As(email);
        var response = await client.PostJson($"/api/tasks/{task["id"]}/actions", body).Expect(HttpStatusCode.OK);
        return await response.ReadObjectAsync();
    }

    // Instances and mail ----------------------------------------------------------------------------------

    public Task<JsonObject> InstanceAsync(string id) => host.Client.GetInstanceAsync(id);

    public async Task<JsonObject> Variables(string id) => (await InstanceAsync(id))["variables"]!.AsObject();

    /// <summary>Waits until the outbox is empty (everything sent) and returns what the SMTP server received.</summary>
    public async Task<IReadOnlyList<ReceivedMessage>> MailAsync()
    {
        await HostApi.Eventually<object>(async () =>
        {
            await using var db = host.OpenDb();
            return await db.Outbox.AnyAsync(m => m.Status == OutboxStatus.Pending || m.Status == OutboxStatus.Sending, Ct) ? null : new object();
        }, TimeSpan.FromSeconds(60), () => "the outbox did not drain: " + string.Join(Environment.NewLine, host.Log.TakeLast(20)));
        return smtp.ReadMessages();
    }

    public static bool To(ReceivedMessage m, string email) => m.To.Contains(email, StringComparer.OrdinalIgnoreCase);
}
