using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Workflows.Host;
using Workflows.Host.Definitions;
using Workflows.Host.Runtime;
using Workflows.Persistence;
using Workflows.Persistence.Entities;
using Workflows.Testing;

namespace Workflows.Bench;

/// <summary>
/// The runtime as the Host builds it (ServiceCollection + AddLogging + AddWorkflowsRuntime), on a fresh database per
/// concurrency: N starts, then N resumes of each instance's bookmark, then N raw transactions of the same database.
/// </summary>
internal static class DatabaseScenario
{
    public const string Sqlite = "SQLite";
    public const string PostgreSql = "PostgreSQL";
    public const string DefinitionId = "bench-event-go";

    public static async Task<List<DatabaseResult>> RunAsync(string database, BenchOptions options, BenchReport report)
    {
        var results = new List<DatabaseResult>();
        PostgresServer? server = null;
        var scratch = Directory.CreateTempSubdirectory("workflows-bench-").FullName;
        try
        {
            if (database == PostgreSql)
            {
                Console.WriteLine("Starting a throwaway PostgreSQL server ...");
                server = await PostgresServer.StartAsync();
            }
            if (options.RunDatabases)
                foreach (var concurrency in options.Concurrencies)
                {
                    var connectionString = database == PostgreSql
                        ? await server!.CreateDatabaseAsync($"bench_c{concurrency}")
                        : $"Data Source={Path.Combine(scratch, $"bench-c{concurrency}.db")}";
                    var contentRoot = Directory.CreateDirectory(Path.Combine(scratch, $"content-{database}-c{concurrency}")).FullName;
                    var result = await RunOneAsync(database, connectionString, contentRoot, concurrency, options, report);
                    results.Add(result);
                }
            if (options.RunApprovals)
                foreach (var concurrency in options.Concurrencies)
                {
                    var connectionString = database == PostgreSql
                        ? await server!.CreateDatabaseAsync($"bench_approval_c{concurrency}")
                        : $"Data Source={Path.Combine(scratch, $"bench-approval-c{concurrency}.db")}";
                    var contentRoot = Directory.CreateDirectory(Path.Combine(scratch, $"content-approval-{database}-c{concurrency}")).FullName;
                    report.Approvals.Add(await ApprovalScenario.RunOneAsync(database, connectionString, contentRoot, concurrency, options));
                }
        }
        finally
        {
            if (server is not null) await server.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(scratch, recursive: true); } catch (IOException) { }
        }
        return results;
    }

    private static async Task<DatabaseResult> RunOneAsync(string database, string connectionString, string contentRoot, int concurrency,
        BenchOptions options, BenchReport report)
    {
        var n = options.Instances;
        Console.WriteLine($"## {database}, concurrency {concurrency}, N = {n}");
        await using var services = BuildServices(database, connectionString, contentRoot);
        await MigrateAsync(services);
        var runtime = services.GetRequiredService<WorkflowRuntime>();
        await ImportAsync(services);

        var raw = new RawTransactions(database, services.GetRequiredService<DatabaseOptions>().ConnectionString);
        // SQLite only: the same transactions with PRAGMA busy_timeout, on rows n + warm-up + 1 .. 2n + warm-up.
        var rawBusy = database == Sqlite ? new RawTransactions(database, services.GetRequiredService<DatabaseOptions>().ConnectionString, 5000) : null;
        await raw.CreateTablesAsync(n + options.DatabaseWarmUp + (rawBusy is null ? 0 : n));
        var version = await raw.ServerVersionAsync();
        if (database == PostgreSql) report.Machine.PostgreSql = version;
        else report.Machine.Sqlite = version;

        // Warm-up: JIT, connection pools, EF's compiled queries and model, the definition cache.
        for (var i = 0; i < options.DatabaseWarmUp; i++)
        {
            var started = await runtime.StartAsync(DefinitionId, null, null, null, Actor.System);
            await runtime.ResumeAsync(started.InstanceId, started.Result.CreatedBookmarks.Single().Id, null, Actor.System);
            await raw.RunOneAsync(n + i + 1);
        }

        // Rounds interleave the three measurements, so that each sees the same machine: on a shared machine the load
        // drifts over seconds, and a ratio of two rates taken a minute apart would measure the drift.
        var rounds = options.Rounds;
        var waiting = new (string Instance, string Bookmark)[n];
        var latencies = new double[n];
        TimeSpan rawElapsed = default, rawBusyElapsed = default, startElapsed = default, resumeElapsed = default;
        for (var round = 0; round < rounds; round++)
        {
            var (from, count) = (round * n / rounds, (round + 1) * n / rounds - round * n / rounds);

            // Raw rate of the database: one transaction = one UPDATE + two INSERTs, each on its own counter row.
            rawElapsed += await Partitioned(count, concurrency, i => raw.RunOneAsync(from + i + 1));
            if (rawBusy is not null)
                rawBusyElapsed += await Partitioned(count, concurrency, i => rawBusy.RunOneAsync(n + options.DatabaseWarmUp + from + i + 1));

            startElapsed += await Partitioned(count, concurrency, async i =>
            {
                var outcome = await runtime.StartAsync(DefinitionId, null, null, null, Actor.System);
                waiting[from + i] = (outcome.InstanceId, outcome.Result.CreatedBookmarks.Single().Id);
            });

            resumeElapsed += await Partitioned(count, concurrency, async i =>
            {
                var t0 = Stopwatch.GetTimestamp();
                await runtime.ResumeAsync(waiting[from + i].Instance, waiting[from + i].Bookmark, null, Actor.System);
                latencies[from + i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            });
        }
        var rawRate = n / rawElapsed.TotalSeconds;
        var startRate = n / startElapsed.TotalSeconds;
        var resumeRate = n / resumeElapsed.TotalSeconds;
        var mean = latencies.Average();
        Array.Sort(latencies);
        var p50 = Percentile(latencies, 0.50);
        var p99 = Percentile(latencies, 0.99);
        Console.WriteLine($"   raw tx     {rawRate,10:F1}/s");
        double? rawBusyRate = rawBusy is null ? null : n / rawBusyElapsed.TotalSeconds;
        if (rawBusyRate is { } rb) Console.WriteLine($"   raw tx     {rb,10:F1}/s with PRAGMA busy_timeout (for comparison only)");
        Console.WriteLine($"   starts     {startRate,10:F1}/s");
        Console.WriteLine($"   resumes    {resumeRate,10:F1}/s  p50 {p50:F2} ms  p99 {p99:F2} ms  mean {mean:F2} ms  max {latencies[^1]:F1} ms");
        Console.WriteLine($"   ratio      {resumeRate / rawRate,10:P1} of the raw transaction rate   (load average {MachineInfo.LoadAverage()})");

        var verified = await VerifyAsync(services, n + options.DatabaseWarmUp) && await raw.VerifyAsync(n + options.DatabaseWarmUp + (rawBusy is null ? 0 : n));
        if (!verified) Console.WriteLine("   VERIFICATION FAILED: not every instance finished, or the raw transactions did not all commit.");

        ResumeProfile? profile = null;
        if (options.Profile && concurrency == 1)
            profile = await Profiler.ProfileResumesAsync(database, services, Math.Min(500, n));

        return new DatabaseResult
        {
            Database = database,
            Concurrency = concurrency,
            Instances = n,
            StartsPerSecond = Math.Round(startRate, 1),
            ResumesPerSecond = Math.Round(resumeRate, 1),
            ResumeP50Ms = Math.Round(p50, 3),
            ResumeP99Ms = Math.Round(p99, 3),
            ResumeMeanMs = Math.Round(mean, 3),
            ResumeMaxMs = Math.Round(latencies[^1], 3),
            LoadAverage = MachineInfo.LoadAverage(),
            RawTxPerSecond = Math.Round(rawRate, 1),
            RawTxPerSecondSqliteBusyTimeout = rawBusyRate is { } b ? Math.Round(b, 1) : null,
            Ratio = Math.Round(resumeRate / rawRate, 3),
            Verified = verified,
            Profile = profile,
        };
    }

    /// <summary>
    /// What the Host's Program does before AddWorkflowsApi, with an in-memory configuration. The Host's builder also
    /// provides IConfiguration and IHostEnvironment (some runtime services take them); the content root is an empty
    /// scratch folder, so no definitions, templates or mail folders of the repository are touched. <paramref name="settings"/>
    /// override the defaults (no Hangfire server, in-memory Hangfire storage).
    /// </summary>
    internal static ServiceProvider BuildServices(string database, string connectionString, string contentRoot,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Database:Provider"] = database == PostgreSql ? "PostgreSql" : "Sqlite",
            ["Database:ConnectionString"] = connectionString,
            ["Hangfire:Storage"] = "InMemory",
            ["Hangfire:Server"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(all).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment
        {
            ApplicationName = "Workflows.Host",
            EnvironmentName = Environments.Production,
            ContentRootPath = contentRoot,
            ContentRootFileProvider = new PhysicalFileProvider(contentRoot),
        });
        services.AddLogging();
        services.AddWorkflowsRuntime(configuration, contentRoot);
        return services.BuildServiceProvider();
    }

    /// <summary>As the Host's StartupTasks: migrations, then WAL for SQLite.</summary>
    internal static Task MigrateAsync(IServiceProvider services) =>
        StartupTasks.PrepareDatabaseAsync(services.GetRequiredService<IDbContextFactory<WorkflowsDbContext>>(), CancellationToken.None);

    private static async Task ImportAsync(IServiceProvider services)
    {
        var json = await File.ReadAllTextAsync(BenchFiles.Path("event-go.json"));
        var imported = await services.GetRequiredService<DefinitionStore>().ImportAsync(json, publish: true, DefinitionRecord.SourceFile);
        if (imported.Record is null)
            throw new InvalidOperationException("event-go.json was refused: " + string.Join("; ", imported.Report.Errors));
    }

    private static async Task<bool> VerifyAsync(IServiceProvider services, int expected)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<WorkflowsDbContext>>().CreateDbContextAsync();
        var finished = await db.Instances.CountAsync(i => i.Status == "Finished" && i.SubStatus == "Finished");
        var bookmarks = await db.Bookmarks.CountAsync();
        return finished == expected && bookmarks == 0;
    }

    /// <summary>Items 0..n-1 split into <paramref name="concurrency"/> contiguous slices, one task each; the wall time of all.</summary>
    internal static async Task<TimeSpan> Partitioned(int n, int concurrency, Func<int, Task> work)
    {
        var start = Stopwatch.GetTimestamp();
        var tasks = new Task[concurrency];
        for (var k = 0; k < concurrency; k++)
        {
            var (from, to) = (k * n / concurrency, (k + 1) * n / concurrency);
            tasks[k] = Task.Run(async () =>
            {
                for (var i = from; i < to; i++) await work(i);
            });
        }
        await Task.WhenAll(tasks);
        return Stopwatch.GetElapsedTime(start);
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    internal static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0) return double.NaN;
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
