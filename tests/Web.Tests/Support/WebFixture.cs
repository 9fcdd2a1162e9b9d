using System.Globalization;
using System.Reflection;
using Microsoft.Playwright;
using Workflows.Testing;

[assembly: AssemblyFixture(typeof(Workflows.Web.Tests.Support.WebFixture))]

namespace Workflows.Web.Tests.Support;

/// <summary>
/// One Host, one headless Chromium (Debian's) and one real SMTP server (aiosmtpd) that catches the Host's mail, for every
/// test of the assembly; each test opens its own context. The Host is the real one from its own build output, as a child
/// process on a free 127.0.0.1 port, with a temporary SQLite database holding the demo county.
/// </summary>
public sealed class WebFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public HostProcess Host { get; private set; } = default!;
    public SmtpServer Smtp { get; private set; } = default!;
    public IBrowser Browser { get; private set; } = default!;
    public string BaseUrl => Host.BaseUrl;
    /// <summary>The Host's temporary folder: its SQLite database (web.db), mail pickup folder and key ring.</summary>
    public string DataDirectory { get; private set; } = default!;

    public static string RepositoryRoot => Path.GetFullPath(Metadata("RepositoryRoot"));
    public static string HostDll => Path.GetFullPath(Metadata("HostAssembly"));
    public static string Screenshots { get; } = Path.Combine(RepositoryRoot, "artifacts", "screenshots");

    private static string Metadata(string key) =>
        typeof(WebFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: apt-get install -y chromium fonts-wqy-microhei (test.sh does it).");
        Directory.CreateDirectory(Screenshots);
        // Generous: the test machine is small and often busy; a slow page is not a broken one.
        Assertions.SetDefaultExpectTimeout(30_000);
        Smtp = await SmtpServer.StartNewAsync();
        DataDirectory = Directory.CreateTempSubdirectory("workflows-web-").FullName;
        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Sqlite",
            ["Database__ConnectionString"] = $"Data Source={Path.Combine(DataDirectory, "web.db")}",
            ["Smtp__Host"] = Smtp.Host,
            ["Smtp__Port"] = Smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Smtp__From"] = "教育局审批系统 <workflows@county-edu.example>",
            ["Smtp__PollInterval"] = "00:00:00.200",
            ["Smtp__PickupDirectory"] = Path.Combine(DataDirectory, "mail"),
            ["Auth__KeysDirectory"] = Path.Combine(DataDirectory, "keys"),
            ["Workflows__DemoData"] = "true",
            ["Workflows__DemoPassword"] = Demo.Password,
        };
        // One Host alone: it keeps its own (server) GC; a start that fails is tried again on another free port.
        Host = new HostProcess("host", HostDll, RepositoryRoot, settings) { WorkstationGc = false, StartAttempts = 3 };
        await Host.StartAsync();
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
        if (DataDirectory is not null)
        {
            try { Directory.Delete(DataDirectory, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
