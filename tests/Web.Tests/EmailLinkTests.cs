using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Workflows.Web.Tests.Support;

namespace Workflows.Web.Tests;

/// <summary>A teacher acts on a phone from the one-click link of the task email the SMTP server received.</summary>
public sealed class EmailLinkTests(WebFixture web)
{
    [Fact]
    public async Task Teacher_ApprovesFromTheEmailedLink_OnAPhone_AndSeesItDone()
    {
        await using (var admin = await web.OpenAsync(Demo.Admin))
            await admin.PostJsonAsync("/api/definitions?publish=true", Flows.Opinion);
        await using (var principal = await web.OpenAsync(Demo.Principal1))
            await principal.PostAsync("/api/instances", new { definitionId = Flows.OpinionId, input = new { topic = "下学期教研活动安排" } });

        var mail = await web.Smtp.WaitForAsync(Demo.Teacher1, "教研组长意见");
        Assert.Contains("待审批", mail.Subject);
        var approve = mail.LinkAfter("同意：");
        Assert.StartsWith($"{web.BaseUrl}/links/approve?token=", approve);
        Assert.Contains($"{web.BaseUrl}/links/open?token=", mail.HtmlBody);

        // Opened on the phone, not signed in: sign in first, then the link does what it says.
        await using var phone = await web.OpenAsync(width: 390, height: 844);
        var page = phone.Page;
        await page.GotoAsync(approve);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/signin\\?returnUrl=%2Flinks%2Fapprove"));
        await page.GetByTestId("email").FillAsync(Demo.Teacher1);
        await page.GetByTestId("password").FillAsync(Demo.Password);
        await page.GetByTestId("signin-submit").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("已同意");
        await phone.ScreenshotAsync("email-link-approved");

        // The task is done, with the link's comment, and the request ran to its end.
        await page.GetByRole(AriaRole.Link, new() { Name = "查看任务" }).ClickAsync();
        await phone.WaitInteractiveAsync();
        await Assertions.Expect(page.GetByTestId("task-step")).ToHaveTextAsync("教研组长意见");
        await Assertions.Expect(page.GetByTestId("task-status")).ToHaveTextAsync("已处理");
        await Assertions.Expect(page.GetByTestId("task-outcome")).ToContainTextAsync("同意");
        await Assertions.Expect(page.GetByTestId("task-actions")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("task-input")).ToContainTextAsync("议题");
        await Assertions.Expect(page.GetByTestId("diagram").Locator("svg")).ToBeVisibleAsync();
        await phone.ScreenshotAsync("email-link-task");
        await page.GetByRole(AriaRole.Link, new() { Name = "查看流程" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("instance-status")).ToHaveTextAsync("已完成");

        // A second click on the same link does nothing more.
        phone.ExpectedErrors.Add(new Regex("/links/approve"));
        await page.GotoAsync(approve);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("链接已使用过");
        phone.AssertClean();
    }
}
