using System.Net;
using System.Text.Json.Nodes;
using Workflows.Host.Tests.Support;
using Workflows.Testing;
using static Workflows.Host.Tests.Tasks.ApprovalFlows;

namespace Workflows.Host.Tests.Tasks;

/// <summary>
/// Every approval mode, special case and action through the API, with the mail caught by a real SMTP server:
/// who is told, when, and with which subject. (The step logic itself is covered in Activities.Tests; these
/// tests show what the people on the other end of the mail see.)
/// </summary>
public sealed class ApprovalMailTests : HostTestBase
{
    private readonly SqliteDatabases _databases = new();
    protected override Task<TestDatabase> NewDatabaseAsync() => Task.FromResult(_databases.Create());
    protected override void Cleanup() => _databases.Dispose();

    private const string Assigned = "【待审批】";
    private const string Reminder = "【催办】";

    private sealed record People(TestHost Host, SmtpServer Smtp, HttpClient Teacher, (string Id, string Email)[] Principals);

    private async Task<People> StartAsync(SmtpServer smtp)
    {
        var host = await StartHostAsync(settings: new Dictionary<string, string?>
        {
            ["Smtp:Host"] = smtp.Host, ["Smtp:Port"] = smtp.Port.ToString(), ["Smtp:PollInterval"] = "00:00:00.100",
            ["Workflows:PublicBaseUrl"] = "http://localhost",
        });
        var principals = (await PrincipalsAsync(host, 3)).ToArray();
        return new People(host, smtp, await host.ClientForAsync(SignIn.Teacher1), principals);
    }

    /// <summary>Waits until <paramref name="count"/> messages arrived in all, then returns them.</summary>
    private static async Task<IReadOnlyList<ReceivedMessage>> MailAsync(SmtpServer smtp, int count) =>
        await smtp.WaitForMessagesAsync(count, TimeSpan.FromSeconds(30));

    private static int Count(IEnumerable<ReceivedMessage> mail, string email, string subjectPart) =>
        mail.Count(m => m.To.Contains(email, StringComparer.OrdinalIgnoreCase) && m.Subject.Contains(subjectPart, StringComparison.Ordinal));

    private static async Task<JsonObject> OnlyTaskAsync(TestHost host, string email)
    {
        var client = await host.ClientForAsync(email);
        return (JsonObject)Assert.Single(await PendingAsync(client))!;
    }

    private static async Task ActAsync(TestHost host, string email, JsonObject body)
    {
        var client = await host.ClientForAsync(email);
        var task = Assert.Single(await PendingAsync(client))!;
        await client.PostJson($"/api/tasks/{task["id"]}/actions", body).Expect(HttpStatusCode.OK);
    }

    private static JsonObject Approve => new() { ["action"] = "approve" };

    [Fact]
    public async Task One_after_another_tells_the_next_approver_only_when_their_turn_comes()
    {
        await using var smtp = await SmtpServer.StartNewAsync();
        var (host, _, teacher, p) = await StartAsync(smtp);
        await host.Client.ImportAsync(Chain("seq-mail", "依次审批", Step("s1", "依次", "Sequential", Users(p[0].Id, p[1].Id))));
        var id = (await teacher.StartAsync("seq-mail")).Id();

        var first = await MailAsync(smtp, 1);
        Assert.Equal(1, Count(first, p[0].Email, Assigned));
        Assert.Equal(0, Count(first, p[1].Email, Assigned));
        Assert.Empty(await PendingAsync(await host.ClientForAsync(p[1].Email)));

        await ActAsync(host, p[0].Email, Approve);
        Assert.Equal(1, Count(await MailAsync(smtp, 2), p[1].Email, Assigned));
        await ActAsync(host, p[1].Email, Approve);
        await host.WaitForAsync(id, "Finished");
        var all = await MailAsync(smtp, 3);
        Assert.Equal(1, Count(all, SignIn.Teacher1, "依次审批"));
        Assert.Equal(3, all.Count);
    }

    [Fact]
    public async Task Any_one_tells_everyone_at_once_and_the_first_approval_ends_the_step_for_all()
    {
        await using var smtp = await SmtpServer.StartNewAsync();
        var (host, _, teacher, p) = await StartAsync(smtp);
        await host.Client.ImportAsync(Chain("any-mail", "或签审批", Step("s1", "或签", "Any", Users(p[0].Id, p[1].Id))));
        var id = (await teacher.StartAsync("any-mail")).Id();

        var both = await MailAsync(smtp, 2);
        Assert.Equal(1, Count(both, p[0].Email, Assigned));
        Assert.Equal(1, Count(both, p[1].Email, Assigned));
        await ActAsync(host, p[1].Email, Approve);
        await host.WaitForAsync(id, "Finished");
        Assert.Empty(await PendingAsync(await host.ClientForAsync(p[0].Email)));
        var all = await MailAsync(smtp, 3);
        Assert.Equal(1, Count(all, SignIn.Teacher1, "或签审批"));
    }

    [Fact]
    public async Task A_vote_passes_at_its_share_and_the_last_voter_is_not_asked_again()
    {
        await using var smtp = await SmtpServer.StartNewAsync();
        var (host, _, teacher, p) = await StartAsync(smtp);
        await host.Client.ImportAsync(Chain("vote-mail", "票签审批",
            Step("s1", "票签", "Vote", Users(p[0].Id, p[1].Id, p[2].Id), new JsonObject { ["threshold"] = Input("Double", "0.6") })));
        var id = (await teacher.StartAsync("vote-mail")).Id();

        var three = await MailAsync(smtp, 3);
        Assert.All(p, x => Assert.Equal(1, Count(three, x.Email, Assigned)));
        await ActAsync(host, p[0].Email, Approve);
        Assert.Equal("Suspended", (await host.Client.GetInstanceAsync(id)).SubStatus()); // 1/3 < 0.6
        await ActAsync(host, p[2].Email, Approve);                                      // 2/3 ≥ 0.6
        await host.WaitForAsync(id, "Finished");
        Assert.Empty(await PendingAsync(await host.ClientForAsync(p[1].Email)));
        var all = await MailAsync(smtp, 4);
        Assert.Equal(1, Count(all, SignIn.Teacher1, "票签审批"));
        Assert.Equal(1, Count(all, p[1].Email, Assigned));
    }

    [Fact]
    public async Task Transfer_tells_the_new_assignee_and_delegate_brings_the_task_back_to_the_delegator()
    {
        await using var smtp = await SmtpServer.StartNewAsync();
        var (host, _, teacher, p) = await StartAsync(smtp);
        await host.Client.ImportAsync(Chain("hand-mail", "转办委派", Step("s1", "审批", "Sequential", Users(p[0].Id))));
        var id = (await teacher.StartAsync("hand-mail")).Id();
        await MailAsync(smtp, 1);

        // 转办: p0 hands the task to p1 for good.
        await ActAsync(host, p[0].Email, new JsonObject { ["action"] = "transfer", ["users"] = new JsonArray(p[1].Id), ["comment"] = "请您处理" });
        Assert.Equal(1, Count(await MailAsync(smtp, 2), p[1].Email, Assigned));
        Assert.Empty(await PendingAsync(await host.ClientForAsync(p[0].Email)));

        // 委派: p1 asks p2; when p2 has given an opinion the task comes back to p1, who decides.
        await ActAsync(host, p[1].Email, new JsonObject { ["action"] = "delegate", ["users"] = new JsonArray(p[2].Id) });
        Assert.Equal(1, Count(await MailAsync(smtp, 3), p[2].Email, Assigned));
        await ActAsync(host, p[2].Email, new JsonObject { ["action"] = "approve", ["comment"] = "建议同意" });
        var back = await MailAsync(smtp, 4);
        Assert.Equal(2, Count(back, p[1].Email, Assigned));
        Assert.Equal("Suspended", (await host.Client.GetInstanceAsync(id)).SubStatus());
        await ActAsync(host, p[1].Email, Approve);
        await host.WaitForAsync(id, "Finished");
        Assert.Equal(1, Count(await MailAsync(smtp, 5), SignIn.Teacher1, "转办委派"));
    }

    [Fact]
    public async Task An_added_signer_before_is_asked_first_and_the_adder_after_them()
    {
        await using var smtp = await SmtpServer.StartNewAsync();
        var (host, _, teacher, p) = await StartAsync(smtp);
        await host.Client.ImportAsync(Chain("add-mail", "加签审批", Step("s1", "审批", "Sequential", Users(p[0].Id))));
        var id = (await teacher.StartAsync("add-mail")).Id();
        await MailAsync(smtp, 1);

        await ActAsync(host, p[0].Email, new JsonObject { ["action"] = "addSigner", ["users"] = new JsonArray(p[1].Id), ["position"] = "before" });
        Assert.Equal(1, Count(await MailAsync(smtp, 2), p[1].Email, Assigned));
        Assert.Empty(await PendingAsync(await host.ClientForAsync(p[0].Email)));
        await ActAsync(host, p[1].Email, Approve);
        Assert.Equal(2, Count(await MailAsync(smtp, 3), p[0].Email, Assigned));
        await ActAsync(host, p[0].Email, Approve);
        await host.WaitForAsync(id, "Finished");
    }

    [Fact]
    public async Task Returning_to_an_earlier_step_asks_its_approver_again_and_rejecting_tells_the_initiator()
    {
        await using var smtp = await SmtpServer.StartNewAsync();
        var (host, _, teacher, p) = await StartAsync(smtp);
        await host.Client.ImportAsync(Chain("back-mail", "退回审批",
            Step("s1", "第一步", "Sequential", Users(p[0].Id)), Step("s2", "第二步", "Sequential", Users(p[1].Id))));
        var id = (await teacher.StartAsync("back-mail")).Id();
        await MailAsync(smtp, 1);
        await ActAsync(host, p[0].Email, Approve);
        await MailAsync(smtp, 2);

        await ActAsync(host, p[1].Email, new JsonObject { ["action"] = "return", ["toStep"] = "s1", ["comment"] = "材料不全" });
        var again = await MailAsync(smtp, 3);
        Assert.Equal(2, Count(again, p[0].Email, Assigned));
        Assert.Equal("第一步", (await OnlyTaskAsync(host, p[0].Email))["stepName"]!.ToString());

        await ActAsync(host, p[0].Email, new JsonObject { ["action"] = "reject", ["comment"] = "不符合条件" });
        var done = await host.WaitForAsync(id, "Finished");
        Assert.Contains(done["journal"]!.AsArray(), j => j!["summary"]!.ToString().Contains("reject", StringComparison.Ordinal));
        var all = await MailAsync(smtp, 4);
        Assert.Equal(1, Count(all, SignIn.Teacher1, "退回审批"));
        Assert.Equal(1, Count(all, p[1].Email, Assigned)); // the second step was never reached again
    }

    [Fact]
    public async Task Urging_reminds_the_approver_and_withdrawing_tells_the_initiator_it_was_cancelled()
    {
        await using var smtp = await SmtpServer.StartNewAsync();
        var (host, _, teacher, p) = await StartAsync(smtp);
        await host.Client.ImportAsync(Chain("urge-mail", "催办撤回", Step("s1", "审批", "Sequential", Users(p[0].Id))));
        var id = (await teacher.StartAsync("urge-mail")).Id();
        await MailAsync(smtp, 1);

        await teacher.PostAsync($"/api/requests/{id}/urge", null, Ct).Expect(HttpStatusCode.OK);
        Assert.Equal(1, Count(await MailAsync(smtp, 2), p[0].Email, Reminder));
        await teacher.PostAsync($"/api/requests/{id}/withdraw", null, Ct).Expect(HttpStatusCode.OK);
        await host.WaitForAsync(id, "Cancelled");
        Assert.Empty(await PendingAsync(await host.ClientForAsync(p[0].Email)));
        Assert.Equal(1, Count(await MailAsync(smtp, 3), SignIn.Teacher1, "【已撤销】"));
    }

    [Fact]
    public async Task Special_cases_hand_to_the_administrator_replace_the_initiator_by_their_principal_and_ask_a_repeated_approver_once()
    {
        await using var smtp = await SmtpServer.StartNewAsync();
        var (host, _, teacher, p) = await StartAsync(smtp);
        var me = await UserIdAsync(host, SignIn.Teacher1);
        await host.Client.ImportAsync(Chain("special-mail", "特殊情况",
            // Nobody resolves (an empty role scope): the administrator takes it.
            Step("s1", "无人审批", "Sequential", [new JsonObject { ["type"] = "users", ["users"] = new JsonArray() }],
                new JsonObject { ["whenNobody"] = Input("String", "Admin") }),
            // The initiator is the approver: their principal approves instead.
            Step("s2", "本人审批", "Sequential", Users(me), new JsonObject { ["whenInitiator"] = Input("String", "Principal") }),
            // The same principal again right after: approved once (去重), nobody is asked.
            Step("s3", "再次审批", "Sequential", [new JsonObject { ["type"] = "initiatorPrincipal" }],
                new JsonObject { ["dedupe"] = Input("Boolean", "true") })));
        var id = (await teacher.StartAsync("special-mail")).Id();

        Assert.Equal(1, Count(await MailAsync(smtp, 1), SignIn.Admin, Assigned));
        await ActAsync(host, SignIn.Admin, Approve);
        Assert.Equal(1, Count(await MailAsync(smtp, 2), SignIn.Principal1, Assigned));
        Assert.Empty(await PendingAsync(teacher));
        await ActAsync(host, SignIn.Principal1, Approve);
        await host.WaitForAsync(id, "Finished");
        var all = await MailAsync(smtp, 3);
        Assert.Equal(1, Count(all, SignIn.Principal1, Assigned));
        Assert.Equal(0, Count(all, SignIn.Teacher1, Assigned));
        Assert.Equal(1, Count(all, SignIn.Teacher1, "特殊情况"));
    }
}
