using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Workflows.Web.Tests.Support;

/// <summary>An assignee acting the way people do: open 我的工作, click the task in 待办, approve on its page.</summary>
public static class Inbox
{
    /// <summary>
    /// Signs in as <paramref name="email"/>, opens the <paramref name="step"/> task from the inbox and approves it. With a
    /// <paramref name="screenshot"/> name the task page is also photographed on a phone before it is approved on a desktop.
    /// </summary>
    public static async Task ApproveFromInboxAsync(this WebFixture web, string email, string step, string? screenshot = null)
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
