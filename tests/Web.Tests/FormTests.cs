using Microsoft.Playwright;
using Workflows.Web.Tests.Support;

namespace Workflows.Web.Tests;

public sealed class FormTests(WebFixture web)
{
    [Fact]
    public async Task StartForm_WithBadInput_ShowsChineseErrorsBesideTheFields_AndKeepsTheInput()
    {
        await using var admin = await web.OpenAsync(Demo.Admin);
        await admin.PostJsonAsync("/api/definitions?publish=true", Flows.LeaveNote);

        await using var session = await web.OpenAsync(Demo.Teacher1, 390, 844);
        await session.GoAsync($"/instances/start/{Flows.LeaveNoteId}");
        var days = session.Page.GetByTestId("input-days");
        await days.FillAsync("三天");
        await session.Page.GetByTestId("start-submit").ClickAsync();

        await Assertions.Expect(session.Page.Locator(".field-error[data-field='days']")).ToHaveTextAsync("「天数」必须是数字");
        await Assertions.Expect(session.Page.Locator(".field-error[data-field='reason']")).ToHaveTextAsync("「事由」为必填项");
        await Assertions.Expect(days).ToHaveValueAsync("三天");
        await session.ScreenshotAsync("start-form-errors");

        await days.FillAsync("2");
        await session.Page.GetByTestId("input-reason").FillAsync("参加培训");
        await session.Page.GetByTestId("start-submit").ClickAsync();
        await Assertions.Expect(session.Page.GetByTestId("instance-title")).ToHaveTextAsync("请假备案（测试）");
        session.AssertClean();
    }

    [Fact]
    public async Task Designer_WithoutAName_ShowsTheProblemBesideTheField()
    {
        await using var session = await web.OpenAsync(Demo.Admin);
        await session.GoAsync("/designer/simple");
        await session.Page.GetByTestId("save-draft").ClickAsync();
        await Assertions.Expect(session.Page.Locator(".field-error[data-field='name']").First).ToHaveTextAsync("请填写流程名称");

        await session.Page.GetByTestId("flow-id").FillAsync("Bad Id!");
        await session.Page.GetByTestId("save-draft").ClickAsync();
        await Assertions.Expect(session.Page.Locator(".field-error[data-field='id']")).ToContainTextAsync("小写字母");
        await Assertions.Expect(session.Page.GetByTestId("flow-id")).ToHaveValueAsync("Bad Id!");
        session.AssertClean();
    }
}
