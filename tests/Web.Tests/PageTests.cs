using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Workflows.Web.Tests.Support;

namespace Workflows.Web.Tests;

/// <summary>Every main page loads with no console error and no failed request, in Chinese, on a desktop and on a phone.</summary>
public sealed class PageTests(WebFixture web)
{
    public static TheoryData<string, string, string?, string> Pages => new()
    {
        { "signin", "/signin", null, "登录" },
        { "work", "/work", Demo.Teacher1, "我的工作" },
        { "work-done", "/work?tab=done", Demo.Teacher1, "我的工作" },
        { "work-mine", "/work?tab=mine", Demo.Teacher1, "我的工作" },
        { "work-cc", "/work?tab=cc", Demo.Personnel, "我的工作" },
        { "work-notifications", "/work?tab=notifications", Demo.Teacher1, "我的工作" },
        { "instances", "/instances", Demo.Personnel, "流程" },
        { "start", "/instances/start", Demo.Teacher1, "发起流程" },
        { "dashboard", "/dashboard", Demo.Personnel, "教育局看板" },
        { "designer", "/designer", Demo.Admin, "流程设计器" },
        { "designer-simple", "/designer/simple", Demo.Admin, "流程设计（简单模式）" },
        { "designer-canvas", "/designer/canvas", Demo.Admin, "流程设计（画布模式）" },
        { "org", "/org", Demo.Admin, "组织机构" },
        { "org-new", "/org/new", Demo.Admin, "新增教师" },
        { "org-edit", "/org/users/u-teacher3/edit", Demo.Admin, "编辑教师" },
        { "roster-import", "/org/import", Demo.Admin, "导入名册" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_LoadsCleanly_OnDesktopAndPhone(string name, string path, string? user, string heading)
    {
        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            await using var session = await web.OpenAsync(user, width, height);
            await session.GoAsync(path, interactive: user is not null);
            await Assertions.Expect(session.Page.Locator("h1").First).ToHaveTextAsync(heading);
            if (name == "designer-canvas") await session.Page.Locator("g[data-cell-id='start']").WaitForAsync();
            await session.ScreenshotAsync(name);
            await AssertFitsAsync(session.Page, width);
            session.AssertClean();
        }
    }

    [Fact]
    public async Task InstancePage_ShowsJournalAndDiagram()
    {
        await using var admin = await web.OpenAsync(Demo.Admin);
        await admin.PostJsonAsync("/api/definitions?publish=true", Flows.LeaveNote);
        await using var teacher = await web.OpenAsync(Demo.Teacher1);
        var started = await teacher.PostAsync("/api/instances", new { definitionId = Flows.LeaveNoteId, input = new { days = 2, reason = "家中有事" } });
        var id = started!["id"]!.ToString();

        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            await using var session = await web.OpenAsync(Demo.Teacher1, width, height);
            await session.GoAsync($"/instances/{id}");
            await Assertions.Expect(session.Page.GetByTestId("instance-title")).ToHaveTextAsync("请假备案（测试）");
            await Assertions.Expect(session.Page.GetByTestId("diagram").Locator("svg")).ToBeVisibleAsync();
            await Assertions.Expect(session.Page.GetByTestId("instance-data")).ToContainTextAsync("家中有事");
            await session.ScreenshotAsync("instance");
            await AssertFitsAsync(session.Page, width);
            session.AssertClean();
        }
    }

    /// <summary>An address that leads nowhere (an old bookmark, a mistyped link) says so in Chinese; it is never an error page.</summary>
    [Theory]
    [InlineData("/tasks/no-such-task", "task-problem", "任务不存在")]
    [InlineData("/instances/no-such-instance", "instance-problem", "流程不存在或您无权查看。")]
    [InlineData("/instances/start/no-such-flow", "start-problem", "该流程不存在或尚未发布。")]
    [InlineData("/designer/simple/no-such-flow", "designer-problem", "流程定义不存在。")]
    [InlineData("/org/users/no-such-person/edit", "teacher-problem", "该人员不存在。")]
    public async Task UnknownAddress_SaysSoInChinese(string path, string testId, string message)
    {
        await using var session = await web.OpenAsync(Demo.Admin, 390, 844);
        await session.GoAsync(path);
        await Assertions.Expect(session.Page.GetByTestId(testId)).ToHaveTextAsync(message);
        session.AssertClean();
    }

    [Fact]
    public async Task BadEmailLink_SaysSoInChinese()
    {
        await using var session = await web.OpenAsync(Demo.Teacher1, 390, 844);
        session.ExpectedErrors.Add(new System.Text.RegularExpressions.Regex("/links/approve"));
        await session.GoAsync("/links/approve?token=not-a-token", interactive: false);
        await Assertions.Expect(session.Page.Locator("h1")).ToHaveTextAsync("链接无效");
        session.AssertClean();
    }

    [Fact]
    public async Task TaskPage_ShowsTheFormActionsAndDiagram()
    {
        await using (var admin = await web.OpenAsync(Demo.Admin))
            await admin.PostJsonAsync("/api/definitions?publish=true", Flows.Review);
        await using (var teacher = await web.OpenAsync(Demo.Teacher1))
            await teacher.PostAsync("/api/instances", new { definitionId = Flows.ReviewId, input = new { title = "五年级语文教案" } });

        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            await using var session = await web.OpenAsync(Demo.Office1Email, width, height);
            await session.GoAsync("/work");
            var row = session.Page.GetByTestId("task-table").Locator("tr").Filter(new() { HasText = "材料复核" });
            await row.First.GetByTestId("task-link").ClickAsync();
            await session.WaitInteractiveAsync();
            await Assertions.Expect(session.Page.GetByTestId("task-step")).ToHaveTextAsync("材料复核");
            await Assertions.Expect(session.Page.GetByTestId("field-score")).ToBeVisibleAsync();
            await Assertions.Expect(session.Page.GetByTestId("action-approve")).ToBeVisibleAsync();
            await Assertions.Expect(session.Page.GetByTestId("diagram").Locator("svg")).ToBeVisibleAsync();
            await session.ScreenshotAsync("task-page");
            await AssertFitsAsync(session.Page, width);
            session.AssertClean();
        }
    }

    [Fact]
    public async Task StartForm_Loads_WithTheDefinitionsFields()
    {
        await using var admin = await web.OpenAsync(Demo.Admin);
        await admin.PostJsonAsync("/api/definitions?publish=true", Flows.LeaveNote);
        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            await using var session = await web.OpenAsync(Demo.Teacher1, width, height);
            await session.GoAsync($"/instances/start/{Flows.LeaveNoteId}");
            await Assertions.Expect(session.Page.GetByTestId("start-title")).ToHaveTextAsync("请假备案（测试）");
            await Assertions.Expect(session.Page.GetByRole(AriaRole.Textbox, new() { Name = "天数 *" })).ToBeVisibleAsync();
            await session.ScreenshotAsync("start-form");
            session.AssertClean();
        }
    }

    [Fact]
    public async Task LanguageSwitch_ShowsEnglish_AndBack()
    {
        await using var session = await web.OpenAsync();
        await session.GoAsync("/signin", interactive: false);
        await session.Page.GetByTestId("lang-switch").ClickAsync();
        await Assertions.Expect(session.Page.Locator("h1")).ToHaveTextAsync("Sign in");
        await session.SignInByApiAsync(Demo.Teacher1);
        await session.GoAsync("/work");
        await Assertions.Expect(session.Page.Locator("h1").First).ToHaveTextAsync("My work");
        await session.Page.GetByTestId("lang-switch").ClickAsync();
        await session.WaitInteractiveAsync();
        await Assertions.Expect(session.Page.Locator("h1").First).ToHaveTextAsync("我的工作");
        session.AssertClean();
    }

    /// <summary>Nothing sticks out sideways: the page is no wider than the window (tables scroll inside their own box).</summary>
    private static async Task AssertFitsAsync(IPage page, int width)
    {
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width + 1, $"The page is {scrollWidth}px wide in a {width}px window.");
    }
}
