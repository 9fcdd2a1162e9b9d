using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Workflows.Persistence;

namespace Workflows.Host.Tests.Support;

/// <summary>Where a test's Host keeps its data: provider name and connection string for the Database section.</summary>
public sealed record TestDatabase(string Provider, string ConnectionString);

/// <summary>
/// One real Host (Program, through WebApplicationFactory) on the repository as content root, with its
/// own database, a FakeTimeProvider as its clock and a fast timer pump.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    /// <summary>The moment every test clock starts at, unless a test gives its own.</summary>
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly Factory _factory;

    private TestHost(Factory factory, FakeTimeProvider time, TestDatabase database)
    {
        _factory = factory;
        Time = time;
        Database = database;
        Client = factory.CreateClient(SignIn.ClientOptions);
    }

    public FakeTimeProvider Time { get; }
    public TestDatabase Database { get; }
    /// <summary>
    /// Signed in as admin@demo.local (BureauAdmin + Designer of the demo organisation the Host seeds), unless the settings
    /// turn Workflows:DemoData off. See <see cref="SignIn"/> for other people.
    /// </summary>
    public HttpClient Client { get; }

    /// <summary>A new client, not signed in (it keeps cookies and does not follow redirects).</summary>
    public HttpClient CreateClient() => _factory.CreateClient(SignIn.ClientOptions);
    public IServiceProvider Services => _factory.Services;
    public TestServer Server => _factory.Server;

    /// <summary>Warnings and errors the Host logged, shown when a test gives up waiting.</summary>
    public IReadOnlyCollection<string> Log => _factory.Log;

    /// <summary>Starts a Host; <paramref name="settings"/> override appsettings.json (and the defaults below).</summary>
    public static Task<TestHost> StartAsync(TestDatabase database, FakeTimeProvider? time = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Database:Provider"] = database.Provider,
            ["Database:ConnectionString"] = database.ConnectionString,
            ["Workflows:TimerPollInterval"] = "00:00:00.200",
            ["Workflows:LoadDefinitionsOnStart"] = "false",
            ["Hangfire:WorkerCount"] = "2",
            // Mail without an SMTP host goes to a temp folder, never into the repository.
            ["Smtp:PickupDirectory"] = Path.Combine(Path.GetTempPath(), "workflows-test-mail", Guid.NewGuid().ToString("N")),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        time ??= new FakeTimeProvider(T0);
        var factory = new Factory(all, time);
        if (TestContext.Current.Test?.UniqueID is { } test) LogsByTest.GetOrAdd(test, _ => new()).Enqueue(factory.Log);
        // Building the client starts the Host (migrations, definitions, timer rescheduling, then the server);
        // it blocks, so it runs off the test's thread.
        return Task.Run(async () =>
        {
            var host = new TestHost(factory, time, database);
            try
            {
                if (all.GetValueOrDefault("Workflows:DemoData") is not ("false" or "False")) await host.Client.SignInAsAsync(SignIn.Admin);
            }
            catch
            {
                await host.DisposeAsync();
                throw;
            }
            return host;
        });
    }

    private static readonly ConcurrentDictionary<string, ConcurrentQueue<ConcurrentQueue<string>>> LogsByTest = new();

    /// <summary>The warnings and errors of every Host the current test started (for failure messages).</summary>
    public static IEnumerable<string> LogsOfCurrentTest() =>
        TestContext.Current.Test?.UniqueID is { } test && LogsByTest.TryGetValue(test, out var logs) ? logs.SelectMany(l => l) : [];

    public WorkflowsDbContext OpenDb() => Services.GetRequiredService<IDbContextFactory<WorkflowsDbContext>>().CreateDbContext();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
        // The Host is gone; close its idle PostgreSQL connections now rather than when the pool prunes them.
        if (Database.Provider == "PostgreSql")
        {
            await using var connection = new Npgsql.NpgsqlConnection(Database.ConnectionString);
            Npgsql.NpgsqlConnection.ClearPool(connection);
        }
    }

    private sealed class Factory(IReadOnlyDictionary<string, string?> settings, FakeTimeProvider time) : WebApplicationFactory<Program>
    {
        public ConcurrentQueue<string> Log { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseContentRoot(Paths.RepoRoot);
            // Host settings reach WebApplication.CreateBuilder as arguments, so the Host sees them while it
            // registers its services (it reads the Database section right away, before Build).
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
            builder.ConfigureLogging(logging =>
            {
                logging.ClearProviders();
                logging.AddProvider(new QueueLoggerProvider(Log));
            });
            builder.ConfigureTestServices(services =>
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(time);
            });
        }
    }

    private sealed class QueueLoggerProvider(ConcurrentQueue<string> log) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new QueueLogger(categoryName, log);
        public void Dispose() { }

        private sealed class QueueLogger(string category, ConcurrentQueue<string> log) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (!IsEnabled(logLevel) || log.Count > 500) return;
                log.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.GetType().Name + ": " + exception.Message)}");
            }
        }
    }
}

public static class Paths
{
    /// <summary>The repository: the folder with appsettings.json and definitions/.</summary>
    public static string RepoRoot { get; } = ContentRoot.Find();

    /// <summary>Definition files of these tests (tests/Host.Tests/Workflows, copied next to the test binary).</summary>
    public static string TestWorkflow(string file) => Path.Combine(AppContext.BaseDirectory, "Workflows", file);
}
