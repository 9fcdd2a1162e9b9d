using System.Diagnostics;
using System.Text.Json.Nodes;
using Workflows.Testing;

namespace Workflows.Bench;

/// <summary>
/// The approval scenario through the real Host processes (<c>dotnet Workflows.Host.dll</c>, Release) on one PostgreSQL, with
/// 1, 2 and 3 Hosts: per instance the teacher starts it, the principal approves step 1, the teacher reads the instance, the
/// lead approves step 2 — each call to a random Host. Rounds interleave it with the raw transactions of the same database, so
/// both see the same machine. Mail goes to a pickup folder (the Hosts write one .eml per task and per finished instance).
/// </summary>
internal static class HostsScenario
{
    private const string Password = "Demo@2026";
    private const string Teacher = "teacher1@demo.local", Principal = "principal1@demo.local", Lead = "lead1@demo.local", Admin = "admin@demo.local";
    /// <summary>Write calls (transactions) per instance: start, approve, approve.</summary>
    public const int WritesPerInstance = 3;

    public static async Task<List<HostsResult>> RunAsync(BenchOptions options, BenchReport report)
    {
        var root = Workflows.Host.ContentRoot.Find();
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var dll = Path.Combine(root, "src", "Host", "bin", configuration, "net10.0", "Workflows.Host.dll");
        var results = new List<HostsResult>();
        Console.WriteLine("Starting a throwaway PostgreSQL server ...");
        await using var server = await PostgresServer.StartAsync();
        var scratch = Directory.CreateTempSubdirectory("workflows-bench-hosts-").FullName;
        try
        {
            foreach (var count in options.HostCounts)
                results.Add(await RunOneAsync(server, dll, root, scratch, count, options, report));
        }
        finally
        {
            try { Directory.Delete(scratch, recursive: true); } catch (IOException) { }
        }
        return results;
    }

    private static async Task<HostsResult> RunOneAsync(PostgresServer server, string dll, string root, string scratch, int count,
        BenchOptions options, BenchReport report)
    {
        var n = options.Instances;
        var concurrency = options.HostsConcurrency;
        Console.WriteLine($"## {count} Host(s) on one PostgreSQL, concurrency {concurrency}, N = {n}");
        var connectionString = await server.CreateDatabaseAsync($"bench_hosts{count}");
        var folder = Directory.CreateDirectory(Path.Combine(scratch, $"hosts{count}")).FullName;
        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = "PostgreSql",
            ["Database__ConnectionString"] = connectionString,
            ["Smtp__Host"] = "",
            ["Smtp__PickupDirectory"] = Path.Combine(folder, "mail"),
            ["Workflows__DemoData"] = "true",
            ["Workflows__DemoPassword"] = Password,
            ["Auth__KeysDirectory"] = Path.Combine(folder, "keys"),
            ["Hangfire__Dashboard"] = "false",
        };
        var hosts = Enumerable.Range(1, count).Select(i => new HostProcess($"host{i}", dll, root, settings)).ToList();
        try
        {
            await Task.WhenAll(hosts.Select(h => h.StartAsync()));
            using var cluster = new HostCluster(hosts);
            await cluster.SignInAsync(Admin, Password);
            await cluster.SignInAsync(Teacher, Password);
            var principal = await cluster.SignInAsync(Principal, Password);
            var lead = await cluster.SignInAsync(Lead, Password);
            var import = await cluster.PostAsync(Admin, "/api/definitions?publish=true", ScenarioFlows.ApprovalFlow(principal, lead));
            if (!import.Ok) throw new InvalidOperationException($"Import failed: {import.Status} {import.Body}");

            var raw = new RawTransactions(DatabaseScenario.PostgreSql, connectionString);
            await raw.CreateTablesAsync(n + options.WarmUp);
            report.Machine.PostgreSql ??= await raw.ServerVersionAsync();

            var latencies = new double[n * 4];
            var failures = 0;
            async Task OneAsync(int i, bool measured)
            {
                async Task<ApiAnswer> Timed(int slot, Func<Task<ApiAnswer>> call)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    var answer = await call();
                    if (measured) latencies[i * 4 + slot] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                    if (!answer.Ok) { Interlocked.Increment(ref failures); throw new InvalidOperationException($"{answer.Status} {answer.Body}"); }
                    return answer;
                }
                var started = await Timed(0, () => cluster.PostAsync(Teacher, "/api/instances",
                    new JsonObject { ["definitionId"] = ScenarioFlows.Approval, ["input"] = new JsonObject { ["n"] = i } }));
                var id = started.Body!["id"]!.ToString();
                var task1 = started.Body["bookmarks"]!.AsArray().Single()!["id"]!.ToString();
                await Timed(1, () => cluster.PostAsync(Principal, $"/api/tasks/{task1}/actions", new JsonObject { ["action"] = "approve" }));
                var instance = await Timed(2, () => cluster.GetAsync(Teacher, $"/api/instances/{id}"));
                var task2 = instance.Body!["bookmarks"]!.AsArray().Single()!["id"]!.ToString();
                var done = await Timed(3, () => cluster.PostAsync(Lead, $"/api/tasks/{task2}/actions", new JsonObject { ["action"] = "approve" }));
                if (done.Body?["instance"]?["status"]?.ToString() != "Finished") throw new InvalidOperationException($"instance {id} did not finish");
            }

            // Warm-up: JIT and pools of every Host, the definition cache.
            await DatabaseScenario.Partitioned(options.WarmUp, concurrency, i => OneAsync(i, measured: false));
            for (var i = 0; i < options.WarmUp; i++) await raw.RunOneAsync(n + i + 1);

            TimeSpan rawElapsed = default, scenarioElapsed = default;
            for (var round = 0; round < options.Rounds; round++)
            {
                var (from, size) = (round * n / options.Rounds, (round + 1) * n / options.Rounds - round * n / options.Rounds);
                rawElapsed += await DatabaseScenario.Partitioned(size, concurrency, i => raw.RunOneAsync(from + i + 1));
                scenarioElapsed += await DatabaseScenario.Partitioned(size, concurrency, i => OneAsync(from + i, measured: true));
            }
            var rawRate = n / rawElapsed.TotalSeconds;
            var instanceRate = n / scenarioElapsed.TotalSeconds;
            var writeRate = instanceRate * WritesPerInstance;
            Array.Sort(latencies);
            var result = new HostsResult
            {
                Hosts = count,
                Concurrency = concurrency,
                Instances = n,
                InstancesPerSecond = Math.Round(instanceRate, 1),
                WritesPerSecond = Math.Round(writeRate, 1),
                CallP50Ms = Math.Round(DatabaseScenario.Percentile(latencies, 0.50), 2),
                CallP99Ms = Math.Round(DatabaseScenario.Percentile(latencies, 0.99), 2),
                RawTxPerSecond = Math.Round(rawRate, 1),
                Ratio = Math.Round(writeRate / rawRate, 3),
                LoadAverage = MachineInfo.LoadAverage(),
                Verified = failures == 0 && await raw.VerifyAsync(n + options.WarmUp),
            };
            Console.WriteLine($"   raw tx      {rawRate,10:F1}/s");
            Console.WriteLine($"   instances   {instanceRate,10:F1}/s  ({writeRate:F1} write calls/s; call p50 {result.CallP50Ms:F1} ms, p99 {result.CallP99Ms:F1} ms)");
            Console.WriteLine($"   ratio       {result.Ratio,10:P1} of the raw transaction rate   (load average {result.LoadAverage})");
            return result;
        }
        finally
        {
            foreach (var host in hosts) await host.DisposeAsync();
        }
    }
}

internal sealed class HostsResult
{
    public int Hosts { get; init; }
    public int Concurrency { get; init; }
    public int Instances { get; init; }
    public double InstancesPerSecond { get; init; }
    /// <summary>Start + two approvals per instance: the calls that are one database transaction each.</summary>
    public double WritesPerSecond { get; init; }
    public double CallP50Ms { get; init; }
    public double CallP99Ms { get; init; }
    public double RawTxPerSecond { get; init; }
    /// <summary>Write calls/s ÷ raw tx/s.</summary>
    public double Ratio { get; init; }
    public string? LoadAverage { get; init; }
    public bool Verified { get; init; }
}
