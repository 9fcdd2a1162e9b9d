using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workflows.Host.Tests.Support;
using Workflows.Testing;
using static Workflows.Host.Tests.Tasks.ApprovalFlows;

namespace Workflows.Host.Tests.Tasks;

public abstract partial class ApprovalInboxTests
{
    [Fact]
    public async Task The_emailed_approve_link_works_once_and_only_for_the_assignee()
    {
        await using var smtp = await SmtpServer.StartNewAsync();
        var host = await StartHostAsync(settings: Mail(smtp));
        var principal1 = await UserIdAsync(host, SignIn.Principal1);
        await host.Client.ImportAsync(Chain("link", "用印申请", Step("s1", "校长审批", "Sequential", Users(principal1))));
        var instance = await host.Client.StartAsync("link");

        var mail = Assert.Single(await smtp.WaitForMessagesAsync(1, TimeSpan.FromSeconds(30)));
        var approve = Regex.Match(mail.TextBody!, @"http://localhost(/links/approve\?token=[A-Za-z0-9_\-]+)").Groups[1].Value;
        Assert.NotEmpty(approve);

        // Not signed in: sent to sign in, and the link is not used up.
        var anonymous = await host.CreateClient().GetAsync(approve, Ct);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/signin", anonymous.Headers.Location!.ToString());
        // Someone else signed in: refused.
        var other = await host.ClientForAsync(SignIn.Teacher1);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync(approve, Ct)).StatusCode);
        // Tampered: refused.
        var principal = await host.ClientForAsync(SignIn.Principal1);
        Assert.Equal(HttpStatusCode.BadRequest, (await principal.GetAsync(approve[..^3] + "xyz", Ct)).StatusCode);

        var used = await principal.GetAsync(approve, Ct);
        Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        Assert.Contains("已同意", await used.Content.ReadAsStringAsync(Ct));
        await host.WaitForAsync(instance.Id(), "Finished");
        // Reused: refused.
        Assert.Equal(HttpStatusCode.Gone, (await principal.GetAsync(approve, Ct)).StatusCode);
    }

    [Fact]
    public async Task The_initiator_can_urge_and_withdraw_until_someone_acts()
    {
        await using var smtp = await SmtpServer.StartNewAsync();
        var host = await StartHostAsync(settings: Mail(smtp));
        var principal1 = await UserIdAsync(host, SignIn.Principal1);
        await host.Client.ImportAsync(Chain("urge", "外出申请", Step("s1", "校长审批", "Sequential", Users(principal1))));
        var teacher = await host.ClientForAsync(SignIn.Teacher1);
        var first = await teacher.StartAsync("urge");

        await teacher.PostJson($"/api/requests/{first.Id()}/urge", new JsonObject()).Expect(HttpStatusCode.OK);
        var mails = await smtp.WaitForMessagesAsync(2, TimeSpan.FromSeconds(30));
        Assert.Contains(mails, m => m.Subject.Contains("【催办】") && m.To.Contains(SignIn.Principal1));
        var stranger = await host.ClientForAsync(SignIn.Teacher2);
        await stranger.PostJson($"/api/requests/{first.Id()}/withdraw", new JsonObject()).ExpectProblem(HttpStatusCode.Forbidden);

        await teacher.PostJson($"/api/requests/{first.Id()}/withdraw", new JsonObject()).Expect(HttpStatusCode.OK);
        Assert.Equal("Cancelled", (await host.Client.GetInstanceAsync(first.Id())).SubStatus());
        var principal = await host.ClientForAsync(SignIn.Principal1);
        Assert.Empty(await PendingAsync(principal)); // the task went with the request

        var second = await teacher.StartAsync("urge");
        var task = Assert.Single(await PendingAsync(principal))!;
        await principal.PostJson($"/api/tasks/{task["id"]}/actions", new JsonObject { ["action"] = "reject", ["comment"] = "不同意" })
            .Expect(HttpStatusCode.OK);
        await teacher.PostJson($"/api/requests/{second.Id()}/withdraw", new JsonObject()).ExpectProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Bad_task_actions_name_the_field_and_change_nothing()
    {
        var host = await StartHostAsync();
        var principal1 = await UserIdAsync(host, SignIn.Principal1);
        var form = new JsonObject { ["fields"] = new JsonArray { new JsonObject { ["name"] = "opinion", ["label"] = "意见", ["type"] = "textarea", ["required"] = true, ["editable"] = true } } };
        await host.Client.ImportAsync(Chain("form", "调课申请", Step("s1", "校长审批", "Sequential", Users(principal1),
            new JsonObject { ["form"] = Input("Object", form) })));
        var instance = await host.Client.StartAsync("form");
        var principal = await host.ClientForAsync(SignIn.Principal1);
        var id = (await PendingAsync(principal))[0]!["id"]!.ToString();
        var url = $"/api/tasks/{id}/actions";

        await principal.PostJson(url, "{\"action\":").ExpectInvalid("body");
        await principal.PostJson(url, new JsonObject { ["action"] = "explode" }).ExpectInvalid("action");
        await principal.PostJson(url, new JsonObject { ["action"] = "approve" }).ExpectInvalid("fields.opinion");
        await principal.PostJson(url, new JsonObject { ["action"] = "transfer" }).ExpectInvalid("users");
        await principal.PostJson(url, new JsonObject { ["action"] = "transfer", ["users"] = new JsonArray("nobody") }).ExpectInvalid("users");
        await principal.PostJson(url, new JsonObject { ["action"] = "addSigner", ["users"] = new JsonArray(await UserIdAsync(host, SignIn.Teacher1)), ["position"] = "middle" })
            .ExpectInvalid("position");
        await principal.PostJson(url, new JsonObject { ["action"] = "return", ["toStep"] = "nowhere" }).ExpectInvalid("toStep");
        await principal.PostJson(url, new JsonObject { ["action"] = "approve", ["comment"] = new string('长', 2001) }).ExpectInvalid("comment");
        await principal.PostJson("/api/tasks/nope/actions", new JsonObject { ["action"] = "approve" }).ExpectProblem(HttpStatusCode.NotFound);
        await principal.GetAsync("/api/tasks?status=weird", Ct).ExpectProblem(HttpStatusCode.BadRequest);

        Assert.Single(await PendingAsync(principal));
        Assert.Equal("Suspended", (await host.Client.GetInstanceAsync(instance.Id())).SubStatus());

        await principal.PostJson(url, new JsonObject { ["action"] = "approve", ["fields"] = new JsonObject { ["opinion"] = "同意调课" } })
            .Expect(HttpStatusCode.OK);
        var finished = await host.WaitForAsync(instance.Id(), "Finished");
        Assert.Equal("同意调课", finished["variables"]!["opinion"]!.ToString());
    }
}
