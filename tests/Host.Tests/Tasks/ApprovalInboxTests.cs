using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Workflows.Host.Tests.Support;
using Workflows.Testing;
using static Workflows.Host.Tests.Tasks.ApprovalFlows;

namespace Workflows.Host.Tests.Tasks;

/// <summary>
/// People acting on tasks through the API, with every notification delivered to a real SMTP server:
/// the right people get the right subject and working links.
/// </summary>
public abstract partial class ApprovalInboxTests : HostTestBase
{
    private static Dictionary<string, string?> Mail(SmtpServer smtp) => new()
    {
        ["Smtp:Host"] = smtp.Host, ["Smtp:Port"] = smtp.Port.ToString(), ["Smtp:PollInterval"] = "00:00:00.100",
        ["Workflows:PublicBaseUrl"] = "http://localhost",
    };

    [Fact]
    public async Task A_three_step_approval_reaches_the_right_people_and_finishes()
    {
        await using var smtp = await SmtpServer.StartNewAsync();
        var host = await StartHostAsync(settings: Mail(smtp));
        var principals = await PrincipalsAsync(host, 3);
        var (p2, p3) = (principals[1], principals[2]);
        await host.Client.ImportAsync(Chain("leave", "请假申请",
            Step("s1", "校长审批", "Sequential", [new JsonObject { ["type"] = "initiatorPrincipal" }]),
            Step("s2", "两位校长会签", "All", Users(p2.Id, p3.Id)),
            new JsonObject { ["id"] = "cc", ["type"] = "Workflows.Cc", ["stepName"] = Input("String", "抄送教联体负责人"),
                ["to"] = Input("Object", new JsonArray { new JsonObject { ["type"] = "role", ["role"] = "Lead", ["scope"] = "initiatorFederation" } }) }));

        var teacher = await host.ClientForAsync(SignIn.Teacher1);
        var instance = await teacher.StartAsync("leave", new JsonObject { ["days"] = 2 });

        // Step 1: the teacher's own principal.
        var principal1 = await host.ClientForAsync(SignIn.Principal1);
        var task1 = Assert.Single(await PendingAsync(principal1))!;
        Assert.Equal("校长审批", task1["stepName"]!.ToString());
        var mail1 = await smtp.WaitForMessagesAsync(1, TimeSpan.FromSeconds(30));
        Assert.Contains(SignIn.Principal1, mail1[0].To);
        Assert.Contains("【待审批】", mail1[0].Subject);
        Assert.Contains("请假申请", mail1[0].Subject);
        await principal1.PostJson($"/api/tasks/{task1["id"]}/actions", new JsonObject { ["action"] = "approve", ["comment"] = "同意" })
            .Expect(HttpStatusCode.OK);
        Assert.Empty(await PendingAsync(principal1));
        Assert.Single(await PendingAsync(principal1, "done"));

        // Step 2: both principals must approve (会签).
        var c2 = await host.ClientForAsync(p2.Email);
        var c3 = await host.ClientForAsync(p3.Email);
        var t2 = Assert.Single(await PendingAsync(c2))!;
        var t3 = Assert.Single(await PendingAsync(c3))!;
        await c2.PostJson($"/api/tasks/{t2["id"]}/actions", new JsonObject { ["action"] = "approve" }).Expect(HttpStatusCode.OK);
        Assert.Equal("Suspended", (await host.Client.GetInstanceAsync(instance.Id())).SubStatus());
        await c3.PostJson($"/api/tasks/{t3["id"]}/actions", new JsonObject { ["action"] = "approve" }).Expect(HttpStatusCode.OK);

        // CC, then done: the lead is told, the teacher sees the request finished.
        var finished = await host.WaitForAsync(instance.Id(), "Finished");
        Assert.Contains("TaskAction", finished.JournalEvents());
        var lead = await host.ClientForAsync(SignIn.Lead1);
        Assert.Single(await PendingAsync(lead, "cc"));
        var requests = await (await teacher.GetAsync("/api/requests", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Equal("Finished", requests["items"]![0]!["subStatus"]!.ToString());

        var all = await smtp.WaitForMessagesAsync(5, TimeSpan.FromSeconds(30)); // 3 tasks, 1 CC, 1 result
        Assert.Contains(all, m => m.To.Contains(SignIn.Lead1) && m.Subject.Contains("【抄送】"));
        Assert.Contains(all, m => m.To.Contains(SignIn.Teacher1) && m.Subject.Contains("请假申请"));
        Assert.Equal(2, all.Count(m => m.Subject.Contains("【待审批】") && (m.To.Contains(p2.Email) || m.To.Contains(p3.Email))));
    }

    [Fact]
    public async Task A_teacher_can_neither_read_nor_act_on_another_teachers_task()
    {
        var host = await StartHostAsync();
        var teacher2 = await UserIdAsync(host, SignIn.Teacher2);
        await host.Client.ImportAsync(Chain("ask", "咨询", Step("s1", "同事确认", "Sequential", Users(teacher2))));
        var teacher1 = await host.ClientForAsync(SignIn.Teacher1);
        await teacher1.StartAsync("ask");
        var owner = await host.ClientForAsync(SignIn.Teacher2);
        var task = Assert.Single(await PendingAsync(owner))!;

        var stranger = await host.ClientForAsync(SignIn.Principal1);
        await stranger.GetAsync($"/api/tasks/{task["id"]}", Ct).ExpectProblem(HttpStatusCode.Forbidden);
        await stranger.PostJson($"/api/tasks/{task["id"]}/actions", new JsonObject { ["action"] = "approve" }).ExpectProblem(HttpStatusCode.Forbidden);
        await host.CreateClient().GetAsync("/api/tasks", Ct).ExpectProblem(HttpStatusCode.Unauthorized);
        Assert.Single(await PendingAsync(owner)); // nothing changed
    }

    /// <summary>A teacher acting on a task is told why an action was refused in Chinese first, the English after " / ".</summary>
    [Fact]
    public async Task Refused_task_actions_say_why_in_Chinese_and_keep_the_English()
    {
        var host = await StartHostAsync();
        var teacher2 = await UserIdAsync(host, SignIn.Teacher2);
        await host.Client.ImportAsync(Chain("ask", "咨询", Step("s1", "同事确认", "Sequential", Users(teacher2))));
        await (await host.ClientForAsync(SignIn.Teacher1)).StartAsync("ask");
        var owner = await host.ClientForAsync(SignIn.Teacher2);
        var task = Assert.Single(await PendingAsync(owner))!;
        var actions = $"/api/tasks/{task["id"]}/actions";

        var notAnObject = await owner.PostJson(actions, "[1]").ExpectInvalid("body");
        Assert.Equal("请求有误 / Invalid request", notAnObject["title"]!.ToString());
        Assert.Equal("请求内容须为 JSON 对象", HostApi.AssertChineseThenEnglish(notAnObject["errors"]!["body"]![0], "The request body must be a JSON object."));
        var notJson = await owner.PostJson(actions, """{"action": """).ExpectInvalid("body");
        Assert.StartsWith("请求内容不是有效的 JSON（第 1 行", notJson["errors"]!["body"]![0]!.ToString());
        Assert.Contains(" / The request body is not valid JSON (line 1, position ", notJson["errors"]!["body"]![0]!.ToString());
        Assert.Single(await PendingAsync(owner)); // the refused requests changed nothing

        await owner.PostJson(actions, new JsonObject { ["action"] = "approve" }).Expect(HttpStatusCode.OK);
        var again = await owner.PostJson(actions, new JsonObject { ["action"] = "approve" }).ExpectProblem(HttpStatusCode.Conflict);
        Assert.Equal("该任务已处理 / This task is already handled", again["title"]!.ToString());
        Assert.Equal("该任务已处理", HostApi.AssertChineseThenEnglish(again["detail"], $"Task {task["id"]} is Done."));

        var unknown = await owner.PostJson("/api/tasks/no-such-task/actions", new JsonObject { ["action"] = "approve" }).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Equal("任务“no-such-task”不存在", HostApi.AssertChineseThenEnglish(unknown["detail"], "Task 'no-such-task' does not exist."));
    }

    [Fact]
    public async Task Two_any_one_approvers_acting_at_once_give_one_outcome_and_one_journal_entry()
    {
        var host = await StartHostAsync();
        var principals = await PrincipalsAsync(host, 2);
        await host.Client.ImportAsync(Chain("any", "或签", Step("s1", "任一校长", "Any", Users(principals[0].Id, principals[1].Id))));
        var instance = await host.Client.StartAsync("any");
        var clients = await Task.WhenAll(principals.Select(p => host.ClientForAsync(p.Email)));
        var tasks = await Task.WhenAll(clients.Select(c => PendingAsync(c)));

        var responses = await Task.WhenAll(clients.Select((c, i) =>
            c.PostJson($"/api/tasks/{tasks[i][0]!["id"]}/actions", new JsonObject { ["action"] = "approve" })));
        var codes = responses.Select(r => r.StatusCode).OrderBy(c => c).ToList();
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], codes);
        var loser = responses.Single(r => r.StatusCode == HttpStatusCode.Conflict);
        Assert.Contains("已", (await loser.ReadObjectAsync())["title"]!.ToString()); // told it is already handled

        var finished = await host.WaitForAsync(instance.Id(), "Finished");
        Assert.Single(finished.JournalEvents(), e => e == "BookmarkResumed");
        Assert.Single(finished["journal"]!.AsArray(), j => j!["event"]!.ToString() == "TaskAction");
    }

    [Fact]
    public async Task An_all_must_approve_step_with_30_approvers_acting_at_once_completes_exactly_once()
    {
        var host = await StartHostAsync();
        var teachers = await TeachersAsync(host, 30);
        await host.Client.ImportAsync(Chain("all30", "30人会签", Step("s1", "全体会签", "All", Users([.. teachers.Select(t => t.Id)]))));
        var instance = await host.Client.StartAsync("all30");
        var clients = await Task.WhenAll(teachers.Select(t => host.ClientForAsync(t.Email)));
        var tasks = await Task.WhenAll(clients.Select(c => PendingAsync(c)));

        var responses = await Task.WhenAll(clients.Select((c, i) =>
            c.PostJson($"/api/tasks/{tasks[i][0]!["id"]}/actions", new JsonObject { ["action"] = "approve" })));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode)); // each retried until it won

        var finished = await host.WaitForAsync(instance.Id(), "Finished");
        var journal = finished["journal"]!.AsArray().Select(j => j!["event"]!.ToString()).ToList();
        Assert.Equal(30, journal.Count(e => e == "TaskAction"));
        Assert.Equal(1, journal.Count(e => e == "ApprovalCompleted"));
        Assert.Equal(1, journal.Count(e => e == "WorkflowFinished"));
        await using var db = host.OpenDb();
        Assert.Equal(30, await db.Tasks.CountAsync(t => t.InstanceId == instance.Id() && t.Status == "Done", Ct));
    }
}
