using System.Text.Json.Nodes;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Host.Notifications;
using Workflows.Host.Tests.Support;
using Workflows.Persistence.Entities;
using Workflows.Testing;

namespace Workflows.Host.Tests.Notifications;

/// <summary>Settings, people and waits the notification tests share.</summary>
internal static class NotificationTestKit
{
    public const string From = "审批系统 <workflows@county-edu.example>";
    public const string BaseUrl = "https://oa.county-edu.example";

    /// <summary>A Host that sends through <paramref name="smtp"/>, polling the outbox often.</summary>
    public static Dictionary<string, string?> SmtpSettings(SmtpServer smtp, params (string Key, string? Value)[] more) =>
        With(new()
        {
            ["Smtp:Host"] = smtp.Host,
            ["Smtp:Port"] = smtp.Port.ToString(),
            ["Smtp:From"] = From,
            ["Smtp:PollInterval"] = "00:00:00.100",
            ["Workflows:PublicBaseUrl"] = BaseUrl,
        }, more);

    /// <summary>A Host without an SMTP host: mail goes to <paramref name="pickup"/>.</summary>
    public static Dictionary<string, string?> PickupSettings(string pickup, params (string Key, string? Value)[] more) =>
        With(new()
        {
            ["Smtp:Host"] = "",
            ["Smtp:PickupDirectory"] = pickup,
            ["Smtp:From"] = From,
            ["Smtp:PollInterval"] = "00:00:00.100",
            ["Workflows:PublicBaseUrl"] = BaseUrl,
        }, more);

    private static Dictionary<string, string?> With(Dictionary<string, string?> settings, (string Key, string? Value)[] more)
    {
        foreach (var (key, value) in more) settings[key] = value;
        return settings;
    }

    /// <summary>Adds people u001… with addresses u001@school.example (or <paramref name="email"/>); returns their ids.</summary>
    public static async Task<List<string>> AddUsersAsync(TestHost host, int count, string prefix = "u", Func<int, string>? email = null,
        string status = "Active")
    {
        await using var db = host.OpenDb();
        var ids = new List<string>();
        for (var i = 1; i <= count; i++)
        {
            var id = $"{prefix}{i:000}";
            db.Users.Add(new UserRecord
            {
                Id = id, Name = $"教师{i:000}", Email = email?.Invoke(i) ?? $"{id}@school.example", Status = status, CreatedAt = TestHost.T0,
            });
            ids.Add(id);
        }
        await db.SaveChangesAsync(HostApi.Ct);
        return ids;
    }

    /// <summary>Enqueues and commits, as a caller does in its own transaction.</summary>
    public static async Task<IReadOnlyList<OutboxMessage>> EnqueueAsync(TestHost host, NotificationRequest request)
    {
        await using var db = host.OpenDb();
        var rows = host.Services.GetRequiredService<NotificationService>().Enqueue(db, request);
        await db.SaveChangesAsync(HostApi.Ct);
        return rows;
    }

    public static NotificationRequest Notify(IReadOnlyList<string> users, string title = "期末工作安排", string message = "请于周五前提交成绩。") =>
        new("notify", users, new JsonObject { ["title"] = title, ["message"] = message, ["title_en"] = "End of term", ["message_en"] = "Submit the grades by Friday." },
            InstanceId: null, TaskId: null, Links: []);

    public static async Task<List<OutboxMessage>> OutboxAsync(TestHost host)
    {
        await using var db = host.OpenDb();
        return await db.Outbox.AsNoTracking().OrderBy(m => m.To).ToListAsync(HostApi.Ct);
    }

    /// <summary>Waits until every outbox row satisfies <paramref name="condition"/> (and there are <paramref name="count"/>).</summary>
    public static Task<List<OutboxMessage>> WaitForOutboxAsync(TestHost host, int count, Func<OutboxMessage, bool> condition, string what,
        TimeSpan? timeout = null) =>
        HostApi.Eventually(async () =>
        {
            var rows = await OutboxAsync(host);
            return rows.Count == count && rows.All(condition) ? rows : null;
        }, timeout ?? TimeSpan.FromSeconds(60), () => $"waiting for: {what}\n" + Describe(OutboxAsync(host).GetAwaiter().GetResult()) + "\n"
            + Jobs(host) + "\n" + string.Join("\n", host.Log));

    /// <summary>What Hangfire did, for a test that gave up waiting.</summary>
    public static string Jobs(TestHost host)
    {
        var api = host.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var stats = api.GetStatistics();
        var failed = api.FailedJobs(0, 5).Select(f => $"failed job: {f.Value.ExceptionType}: {f.Value.ExceptionMessage}");
        return string.Join("\n", [$"hangfire: {stats.Enqueued} enqueued, {stats.Processing} processing, {stats.Succeeded} succeeded, "
            + $"{stats.Failed} failed, {stats.Scheduled} scheduled, {stats.Servers} server(s)", .. failed]);
    }

    public static string Describe(IEnumerable<OutboxMessage> rows) =>
        string.Join("; ", rows.GroupBy(r => (r.Status, r.Attempts, Locked: r.LockedBy is not null))
            .Select(g => $"{g.Count()} × {g.Key.Status}/attempts {g.Key.Attempts}/{(g.Key.Locked ? "locked" : "free")}"))
        + (rows.FirstOrDefault(r => r.LastError is not null)?.LastError is { } e ? $"; last error: {e}" : "");

    /// <summary>Message-Id as stored (with angle brackets) → as MimeKit reads it.</summary>
    public static string Bare(string messageId) => messageId.Trim('<', '>');

    /// <summary>The token of the first link to <c>/links/{purpose}</c> in <paramref name="text"/>.</summary>
    public static string TokenIn(string text, string purpose)
    {
        var marker = $"{BaseUrl}/links/{purpose}?token=";
        var start = text.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no {purpose} link in:\n{text}");
        start += marker.Length;
        var end = start;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '-' or '_')) end++;
        return text[start..end];
    }
}
