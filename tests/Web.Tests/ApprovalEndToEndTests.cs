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
        await web.ApproveFromInboxAsync(Demo.Office1Email, "学校初审", screenshot: "task");
        await using (var lead = await web.OpenAsync(Demo.Lead1))
        {
            await lead.GoAsync("/work");
            await Assertions.Expect(lead.Page.GetByTestId("task-table").GetByText("学校初审")).ToHaveCountAsync(0);
            lead.AssertClean();
        }

        // Both principals must approve.
        await web.ApproveFromInboxAsync(Demo.Principal1, "校长会签");
        await web.ApproveFromInboxAsync(Demo.Principal2, "校长会签");

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
            await Assertions.Expect(personnel.Page.GetByTestId("task-table").GetByText("抄送人事股", new() { Exact = true })).ToBeVisibleAsync();
            personnel.AssertClean();
        }
    }
}
