using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Host.Notifications;
using Workflows.Host.Tests.Support;
using Workflows.Testing;
using static Workflows.Host.Tests.Notifications.NotificationTestKit;

namespace Workflows.Host.Tests.Notifications;

/// <summary>
/// The templates of definitions/templates and NotificationService, through a real Host sending to a real SMTP server
/// (shared by the tests of this class: none of them stops it).
/// </summary>
public sealed class NotificationTemplateTests(SmtpServer smtp) : HostTestBase, IClassFixture<SmtpServer>
{
    private static readonly string[] Templates = ["notify", "signin-link", "task-assigned", "task-cc", "task-reminder", "task-result"];
    private readonly SqliteDatabases _databases = new();

    protected override Task<TestDatabase> NewDatabaseAsync() => Task.FromResult(_databases.Create());
    protected override void Cleanup() => _databases.Dispose();

    private Task<TestHost> StartAsync() => StartHostAsync(settings: SmtpSettings(smtp));

    private static JsonObject FullModel(string title = "张三的请假申请") => new()
    {
        ["task"] = new JsonObject
        {
            ["title"] = title, ["step"] = "校长审批", ["initiator"] = "张三", ["due"] = "2026-03-05 17:00", ["summary"] = "事假 2 天",
        },
        ["request"] = new JsonObject { ["title"] = title },
        ["result"] = "approved", ["actor"] = "李校长", ["step"] = "校长审批", ["comment"] = "同意，注意安排代课。",
        ["overdue"] = true,
        ["title"] = "期末工作安排", ["message"] = "请于周五前提交成绩。", ["title_en"] = "End of term", ["message_en"] = "Submit the grades by Friday.",
        ["expires_minutes"] = 30,
        ["user"] = new JsonObject { ["id"] = "u001", ["name"] = "王老师", ["email"] = "u001@school.example" },
        ["links"] = new JsonObject
        {
            ["approve"] = $"{BaseUrl}/links/approve?token=A", ["reject"] = $"{BaseUrl}/links/reject?token=R",
            ["open"] = $"{BaseUrl}/links/open?token=O", ["signin"] = $"{BaseUrl}/links/signin?token=S",
        },
    };

    private static bool IsChinese(char c) => c is >= '\u4e00' and <= '\u9fff';

    [Fact]
    public async Task Every_template_renders_a_Chinese_subject_and_body_with_the_English_after_the_Chinese()
    {
        var host = await StartAsync();
        var templates = host.Services.GetRequiredService<NotificationTemplates>();
        Assert.Equal(Templates, templates.Names());

        foreach (var name in Templates)
        {
            var message = templates.Render(name, FullModel());
            Assert.True(message.Subject.Any(IsChinese), $"{name}: subject '{message.Subject}' has no Chinese");
            Assert.DoesNotContain('\n', message.Subject);
            var firstChinese = message.Text.IndexOf(message.Text.First(IsChinese));
            var english = message.Text.IndexOf("Hello", StringComparison.Ordinal);
            Assert.True(firstChinese >= 0 && english > firstChinese, $"{name}: Chinese first, then English:\n{message.Text}");
            Assert.StartsWith("王老师，您好：", message.Text);
            Assert.Contains("王老师，您好：", message.Html);
            Assert.DoesNotContain("{{", message.Text);
            Assert.DoesNotContain("{%", message.Html);
        }
        var assigned = templates.Render("task-assigned", FullModel());
        Assert.Equal("【待审批】张三的请假申请（校长审批） | Approval needed: 张三的请假申请", assigned.Subject);
        Assert.Contains($"同意：{BaseUrl}/links/approve?token=A", assigned.Text);
        Assert.Contains($"Reject: {BaseUrl}/links/reject?token=R", assigned.Text);
        Assert.Contains($"href=\"{BaseUrl}/links/approve?token=A\"", WebUtility.HtmlDecode(assigned.Html));
        Assert.StartsWith("【已通过】张三的请假申请 | Approved:", templates.Render("task-result", FullModel()).Subject);
        var returned = FullModel();
        returned["result"] = "returned";
        Assert.Contains("已被退回", templates.Render("task-result", returned).Text);
        returned["result"] = "cancelled";
        Assert.StartsWith("【已撤销】张三的请假申请 | Cancelled:", templates.Render("task-result", returned).Subject);
        Assert.StartsWith("【催办】", templates.Render("task-reminder", FullModel()).Subject);
        Assert.Contains($"{BaseUrl}/links/signin?token=S", templates.Render("signin-link", FullModel()).Text);
    }

    [Fact]
    public async Task Model_values_are_escaped_in_the_html_and_kept_as_they_are_in_the_text()
    {
        var host = await StartAsync();
        var templates = host.Services.GetRequiredService<NotificationTemplates>();

        var message = templates.Render("task-assigned", FullModel("<script>alert('x')</script> & \"报销\""));

        Assert.DoesNotContain("<script>", message.Html);
        Assert.Contains("&lt;script&gt;", message.Html);
        Assert.Contains("&amp;", message.Html);
        Assert.Contains("报销", message.Html); // Chinese stays readable in the HTML source
        Assert.Contains("<script>alert('x')</script> & \"报销\"", message.Text);
        Assert.Contains("<script>alert('x')</script> & \"报销\"", message.Subject);
    }

    [Fact]
    public async Task A_task_email_arrives_with_its_Chinese_subject_and_links_that_work_once_for_the_assignee()
    {
        var host = await StartAsync();
        var users = await AddUsersAsync(host, 1, prefix: "tpl-a");
        var userId = users[0];
        var request = new NotificationRequest("task-assigned", users, FullModel(), InstanceId: "inst-1", TaskId: "task-1",
            Links: [new LinkRequest(LinkPurpose.Approve), new LinkRequest(LinkPurpose.Reject), new LinkRequest(LinkPurpose.Open)]);

        var row = Assert.Single(await EnqueueAsync(host, request));

        Assert.Matches(@"^<[0-9a-f]{32}@workflows\.local>$", row.MessageId);
        var received = await HostApi.Eventually(async () =>
        {
            await Task.Yield();
            return smtp.ReadMessages().FirstOrDefault(m => m.MessageId == Bare(row.MessageId));
        }, TimeSpan.FromSeconds(30), () => string.Join("\n", host.Log));
        Assert.Equal("【待审批】张三的请假申请（校长审批） | Approval needed: 张三的请假申请", received.Subject);
        Assert.Equal("workflows@county-edu.example", received.From);
        Assert.Equal([$"{userId}@school.example"], received.To);
        Assert.StartsWith("教师001，您好：", received.TextBody); // the service puts the recipient into the model
        Assert.Equal("auto-generated", received.Message.Headers["Auto-Submitted"]);
        Assert.Equal("utf-8", received.Message.BodyParts.OfType<MimeKit.TextPart>().First().ContentType.Charset, ignoreCase: true);

        // The links in the email work — once, and only for the assignee.
        var links = host.Services.GetRequiredService<ActionLinkService>();
        var approve = TokenIn(received.TextBody!, LinkPurpose.Approve);
        Assert.Contains(approve, WebUtility.HtmlDecode(received.HtmlBody!));
        Assert.Equal(RedeemStatus.WrongUser, (await links.RedeemAsync(approve, LinkPurpose.Approve, "someone-else", Ct)).Status);
        Assert.Equal(RedeemStatus.Tampered, (await links.RedeemAsync(approve, LinkPurpose.Reject, userId, Ct)).Status);
        var ok = await links.RedeemAsync(approve, LinkPurpose.Approve, userId, Ct);
        Assert.Equal(new RedeemResult(RedeemStatus.Ok, userId, "task-1"), ok);
        Assert.Equal(RedeemStatus.Used, (await links.RedeemAsync(approve, LinkPurpose.Approve, userId, Ct)).Status);
        var open = TokenIn(received.TextBody!, LinkPurpose.Open);
        Assert.Equal(RedeemStatus.Ok, (await links.RedeemAsync(open, LinkPurpose.Open, userId, Ct)).Status);

        // The inbox entry mirrors the email, pointing at the task page (never at a one-time token).
        await using var db = host.OpenDb();
        var inbox = await db.Notifications.AsNoTracking().SingleAsync(n => n.UserId == userId, Ct);
        Assert.Equal(received.Subject, inbox.Title);
        Assert.StartsWith("教师001，您好：", inbox.Body);
        Assert.Equal("/tasks/task-1", inbox.Link);
        Assert.Equal(("inst-1", "task-1"), (inbox.InstanceId, inbox.TaskId));
        Assert.Null(inbox.ReadAt);
        var sent = await db.Outbox.AsNoTracking().SingleAsync(m => m.Id == row.Id, Ct);
        Assert.Equal(Persistence.Entities.OutboxStatus.Sent, sent.Status);
        Assert.Equal(host.Time.GetUtcNow(), sent.SentAt);
        Assert.Equal(3, await db.ActionLinks.CountAsync(l => l.UserId == userId && l.TaskId == "task-1", Ct));
    }

    [Fact]
    public async Task People_without_an_address_unknown_people_and_disabled_accounts_get_only_the_inbox_entry()
    {
        var host = await StartAsync();
        var noMail = await AddUsersAsync(host, 1, prefix: "tpl-n", email: _ => "");
        var disabled = await AddUsersAsync(host, 1, prefix: "tpl-d", status: "Disabled");
        var withMail = await AddUsersAsync(host, 1, prefix: "tpl-m");

        var rows = await EnqueueAsync(host, Notify([.. noMail, .. disabled, "nobody-knows-me", .. withMail, .. withMail]));

        var row = Assert.Single(rows);
        Assert.Equal($"{withMail[0]}@school.example", row.To);
        Assert.StartsWith("【通知】期末工作安排", row.Subject);
        await using var db = host.OpenDb();
        var inbox = await db.Notifications.AsNoTracking().Select(n => n.UserId).OrderBy(u => u).ToListAsync(Ct);
        Assert.Equal(new[] { noMail[0], disabled[0], "nobody-knows-me", withMail[0] }.Order(StringComparer.Ordinal), inbox);
    }

    [Fact]
    public async Task Nothing_is_written_unless_the_caller_saves_its_unit_of_work()
    {
        var host = await StartAsync();
        var users = await AddUsersAsync(host, 2, prefix: "tpl-r");

        await using (var db = host.OpenDb())
        {
            var rows = host.Services.GetRequiredService<NotificationService>().Enqueue(db,
                Notify(users) with { TaskId = "t-9", Links = [new LinkRequest(LinkPurpose.Open)] });
            Assert.Equal(2, rows.Count);
            // disposed without SaveChanges: the state change was rolled back, so is its notification
        }

        await using var check = host.OpenDb();
        Assert.Equal(0, await check.Outbox.CountAsync(Ct));
        Assert.Equal(0, await check.Notifications.CountAsync(Ct));
        Assert.Equal(0, await check.ActionLinks.CountAsync(Ct));
    }

    [Fact]
    public async Task An_unknown_template_is_refused_before_anything_is_added()
    {
        var host = await StartAsync();
        var users = await AddUsersAsync(host, 1, prefix: "tpl-x");
        await using var db = host.OpenDb();
        var service = host.Services.GetRequiredService<NotificationService>();

        var error = Assert.Throws<InvalidOperationException>(() => service.Enqueue(db, Notify(users) with { Template = "no-such-template" }));
        Assert.Contains("no-such-template", error.Message);
        Assert.Throws<InvalidOperationException>(() => service.Enqueue(db, Notify(users) with { Template = "../appsettings" }));
        Assert.Empty(db.ChangeTracker.Entries<Persistence.Entities.OutboxMessage>());
    }
}
