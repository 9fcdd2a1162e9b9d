using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Workflows.Web.Tests.Support;

namespace Workflows.Web.Tests;

public sealed class SignInTests(WebFixture web)
{
    [Fact]
    public async Task SignIn_WithPassword_OpensMyWork_AndSignOutEndsIt()
    {
        await using var session = await web.OpenAsync();
        await session.GoAsync("/work", interactive: false);
        await Assertions.Expect(session.Page).ToHaveURLAsync(new Regex("/signin\\?returnUrl=%2Fwork"));

        await session.Page.GetByTestId("email").FillAsync(Demo.Teacher1);
        await session.Page.GetByTestId("password").FillAsync(Demo.Password);
        await session.Page.GetByTestId("signin-submit").ClickAsync();
        await Assertions.Expect(session.Page).ToHaveURLAsync(new Regex("/work$"));
        await session.WaitInteractiveAsync();
        await Assertions.Expect(session.Page.GetByText("待办", new() { Exact = true }).First).ToBeVisibleAsync();
        await Assertions.Expect(session.Page.GetByText("张晓燕").First).ToBeVisibleAsync();

        await session.GoAsync("/signout", interactive: false);
        await session.Page.GetByTestId("signout-submit").ClickAsync();
        await Assertions.Expect(session.Page).ToHaveURLAsync(new Regex("/signin$"));
        await session.GoAsync("/work", interactive: false);
        await Assertions.Expect(session.Page).ToHaveURLAsync(new Regex("/signin"));
        session.AssertClean();
    }

    [Fact]
    public async Task SignIn_WithBadInput_ShowsTheProblemBesideTheField_InChinese()
    {
        await using var session = await web.OpenAsync();
        await session.GoAsync("/signin", interactive: false);

        await session.Page.GetByTestId("email").FillAsync("不是邮箱");
        await session.Page.GetByTestId("password").FillAsync("x");
        await session.Page.GetByTestId("signin-submit").ClickAsync();
        await Assertions.Expect(session.Page.Locator(".field-error[data-field='email']")).ToHaveTextAsync("邮箱格式不正确");
        await Assertions.Expect(session.Page.GetByTestId("email")).ToHaveValueAsync("不是邮箱");

        await session.Page.GetByTestId("email").FillAsync(Demo.Teacher1);
        await session.Page.GetByTestId("password").FillAsync("wrong-password");
        await session.Page.GetByTestId("signin-submit").ClickAsync();
        await Assertions.Expect(session.Page.Locator(".field-error[data-field='password']")).ToHaveTextAsync("邮箱或密码不正确");
        await Assertions.Expect(session.Page.GetByTestId("email")).ToHaveValueAsync(Demo.Teacher1);
        await session.ScreenshotAsync("signin-error");
        session.AssertClean();
    }
}
