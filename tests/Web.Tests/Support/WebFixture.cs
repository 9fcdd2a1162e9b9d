using System.Globalization;
using Microsoft.Playwright;
using Workflows.Testing;

[assembly: AssemblyFixture(typeof(Workflows.Web.Tests.Support.WebFixture))]

namespace Workflows.Web.Tests.Support;

/// <summary>
/// One Host, one headless Chromium (Debian's) and one real SMTP server (aiosmtpd) that catches the Host's mail, for every
/// test of the assembly; each test opens its own context.
/// </summary>
public sealed class WebFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public HostProcess Host { get; private set; } = default!;
    public SmtpServer Smtp { get; private set; } = default!;
    public IBrowser Browser { get; private set; } = default!;
    public string BaseUrl => Host.BaseUrl;

    public static string Screenshots { get; } = Path.Combine(HostProcess.RepositoryRoot, "artifacts", "screenshots");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: apt-get install -y chromium fonts-wqy-microhei (test.sh does it).");
        Directory.CreateDirectory(Screenshots);
        // Generous: the test machine is small and often busy; a slow page is not a broken one.
        Assertions.SetDefaultExpectTimeout(30_000);
        Smtp = await SmtpServer.StartNewAsync();
        Host = await HostProcess.StartAsync(new Dictionary<string, string>
        {
            ["Smtp__Host"] = Smtp.Host,
            ["Smtp__Port"] = Smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Smtp__From"] = "教育局审批系统 <workflows@county-edu.example>",
            ["Smtp__PollInterval"] = "00:00:00.200",
        });
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN"],
        });
    }

    /// <summary>A fresh browser context (its own cookies), signed in as <paramref name="email"/> unless null.</summary>
    public async Task<Session> OpenAsync(string? email = null, int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
        });
        context.SetDefaultTimeout(45_000);
        var session = new Session(this, context, await context.NewPageAsync());
        if (email is not null) await session.SignInByApiAsync(email);
        return session;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (Host is not null) await Host.DisposeAsync();
        if (Smtp is not null) await Smtp.DisposeAsync();
    }
}
