using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Workflows.Web.Tests.Support;

/// <summary>
/// One browser context and page. It records every console error, failed request and HTTP error answer, so a test can
/// say "this page loaded cleanly".
/// </summary>
public sealed class Session : IAsyncDisposable
{
    private readonly WebFixture _fixture;
    private readonly ConcurrentQueue<string> _problems = new();

    public IBrowserContext Context { get; }
    public IPage Page { get; }

    public Session(WebFixture fixture, IBrowserContext context, IPage page)
    {
        _fixture = fixture;
        Context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            // The browser also logs an answer a test provoked on purpose; that one is expected, not a problem.
            if (message.Type == "error"
                && !(message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal) && ExpectedErrors.Any(e => e.IsMatch(message.Location))))
                _problems.Enqueue($"console error: {message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => _problems.Enqueue($"page error: {error}");
        page.RequestFailed += (_, request) =>
        {
            // Leaving a page cancels what it still had in flight (the circuit's socket); that is not a failure.
            if (request.Failure is { } failure && !failure.Contains("ERR_ABORTED")) _problems.Enqueue($"request failed: {request.Method} {request.Url} {failure}");
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400 && !ExpectedErrors.Any(e => e.IsMatch(response.Url)))
                _problems.Enqueue($"HTTP {response.Status}: {response.Request.Method} {response.Url}");
        };
    }

    /// <summary>Answers a test provokes on purpose (e.g. a wrong password) add to this list.</summary>
    public List<Regex> ExpectedErrors { get; } = [];

    public IReadOnlyCollection<string> Problems => _problems.ToArray();

    public async Task SignInByApiAsync(string email)
    {
        var response = await Context.APIRequest.PostAsync("/api/auth/sign-in", new APIRequestContextOptions
        {
            DataObject = new { email, password = Demo.Password },
        });
        if (!response.Ok) throw new InvalidOperationException($"Sign-in of {email} failed: {response.Status} {await response.TextAsync()}");
    }

    /// <summary>Opens a page and waits until it is interactive (the circuit is up) when <paramref name="interactive"/>.</summary>
    public async Task GoAsync(string path, bool interactive = true)
    {
        await Page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        if (interactive) await WaitInteractiveAsync();
    }

    public Task WaitInteractiveAsync() =>
        Page.Locator("[data-interactive='True']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 60_000 });

    public async Task ScreenshotAsync(string name)
    {
        var size = Page.ViewportSize!;
        await Page.WaitForTimeoutAsync(300); // let transitions (drawer, ripples) settle
        await Page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(WebFixture.Screenshots, $"{name}-{size.Width}.png"),
            FullPage = true,
        });
    }

    /// <summary>Fails the test when anything went wrong on the page so far.</summary>
    public void AssertClean()
    {
        var problems = Problems;
        Assert.True(problems.Count == 0, "The page had problems:\n" + string.Join("\n", problems) + "\n--- Host output ---\n" + Tail(_fixture.Host.Output));
    }

    private static string Tail(string text) => text.Length > 4000 ? text[^4000..] : text;

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}
