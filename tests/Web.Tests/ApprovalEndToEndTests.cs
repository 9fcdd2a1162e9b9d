using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Workflows.Web.Tests.Support;

namespace Workflows.Web.Tests;

/// <summary>A teacher's request travels through the inboxes of the people it names, each acting from the task page.</summary>
public sealed class ApprovalEndToEndTests(WebFixture web)
{
    [Fact]
    public async Task TeacherRequest_IsApprovedFromTheInboxes_ThenCopiedToPersonnel()
    {
        await using (var admin = await web.OpenAsync(Demo.Admin))
        {
            Assert.True(await admin.KnowsActivityAsync("Workflows.Approval"), "The Host does not know Workflows.Approval (the approval activity is not registered).");
            await admin.PostJsonAsync("/api/definitions?publish=true", Flows.Rotation);
        }

        // The teacher asks.
        string instanceUrl;
        await using (var teacher = await web.OpenAsync(Demo.Teacher1, 390, 844))
        {
            await teacher.GoAsync($"/instances/start/{Flows.RotationId}");
            await teacher.Page.GetByTestId("input-reason").FillAsync("申请到青山镇中心学校交流一年");
            await teacher.Page.GetByTestId("start-submit").ClickAsync();
            await Assertions.Expect(teacher.Page.GetByTestId("instance-title")).ToHaveTextAsync("交流轮岗申请（测试）");
            await Assertions.Expect(teacher.Page.GetByTestId("diagram").Locator("svg")).ToBeVisibleAsync();
            instanceUrl = teacher.Page.Url;
            teacher.AssertClean();
        }

        // Any one of the school office and the lead: the office approves, the lead's copy of the task goes away.
        await ApproveFromInboxAsync(Demo.Office1Email, "学校初审", screenshot: "task");
        await using (var lead = await web.OpenAsync(Demo.Lead1))
        {
            await lead.GoAsync("/work");
            await Assertions.Expect(lead.Page.GetByTestId("task-table").GetByText("学校初审")).ToHaveCountAsync(0);
            lead.AssertClean();
        }

        // Both principals must approve.
        await ApproveFromInboxAsync(Demo.Principal1, "校长会签");
        await ApproveFromInboxAsync(Demo.Principal2, "校长会签");

        await using (var teacher = await web.OpenAsync(Demo.Teacher1))
        {
            await teacher.GoAsync("/work?tab=mine");
            var row = teacher.Page.GetByTestId("request-table").Locator("tr").Filter(new() { HasText = "交流轮岗申请（测试）" });
            await Assertions.Expect(row.GetByText("已完成")).ToBeVisibleAsync();
            await teacher.GoAsync(new Uri(instanceUrl).PathAndQuery);
            await Assertions.Expect(teacher.Page.GetByTestId("journal")).ToContainTextAsync("结束");
            teacher.AssertClean();
        }
        await using (var personnel = await web.OpenAsync(Demo.Personnel))
        {
            await personnel.GoAsync("/work?tab=cc");
            await Assertions.Expect(personnel.Page.GetByTestId("task-table").GetByText("抄送人事股")).ToBeVisibleAsync();
            personnel.AssertClean();
        }
    }

    private async Task ApproveFromInboxAsync(string email, string step, string? screenshot = null)
    {
        foreach (var (width, height) in screenshot is null ? new[] { (1280, 800) } : [(390, 844), (1280, 800)])
        {
            await using var session = await web.OpenAsync(email, width, height);
            await session.GoAsync("/work");
            await session.Page.GetByTestId("task-table").GetByText(step).First.ClickAsync();
            await Assertions.Expect(session.Page).ToHaveURLAsync(new Regex("/tasks/"));
            await session.WaitInteractiveAsync();
            await Assertions.Expect(session.Page.GetByTestId("task-step")).ToHaveTextAsync(step);
            await Assertions.Expect(session.Page.GetByTestId("diagram").Locator("svg")).ToBeVisibleAsync();
            if (screenshot is not null) await session.ScreenshotAsync(screenshot);
            if (width != 1280) { session.AssertClean(); continue; }

            await session.Page.GetByTestId("task-comment").FillAsync("同意。");
            await session.Page.GetByTestId("action-approve").ClickAsync();
            await Assertions.Expect(session.Page.GetByTestId("task-submitted")).ToHaveTextAsync("已提交：同意");
            session.AssertClean();
        }
    }
}
