namespace Workflows.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench -- [--quick] [--out FILE] [--only engine|db|hosts] [--profile]</c>:
/// the database scenario (the Host's runtime on SQLite and PostgreSQL against the raw transaction rate of
/// the same database) and the engine-only scenario (in memory), printed as markdown tables; with <c>--only hosts</c>
/// the approval scenario through 1, 2 and 3 real Host processes on one PostgreSQL (build the Host with -c Release first).
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(BenchOptions.Usage);
            return 2;
        }
        if (options.Help)
        {
            Console.WriteLine(BenchOptions.Usage);
            return 0;
        }

        var report = new BenchReport
        {
            Machine = MachineInfo.Collect(),
            Command = "dotnet run -c Release --project bench --" + (args.Length == 0 ? "" : " " + string.Join(' ', args)),
            Quick = options.Quick,
            Instances = options.Instances,
        };
        Console.WriteLine($"# Workflows bench ({(options.Quick ? "quick" : "full")}, N = {options.Instances}, {report.Machine.Cpus} CPU, .NET {report.Machine.DotNet})");

        if (options.RunDatabases)
        {
            foreach (var database in options.Databases)
            {
                var results = await DatabaseScenario.RunAsync(database, options, report);
                report.Databases.AddRange(results);
            }
        }
        if (options.RunHosts)
            report.Hosts.AddRange(await HostsScenario.RunAsync(options, report));
        if (options.RunEngine)
        {
            report.Engine.AddRange(EngineScenario.Run(options));
            if (options.Profile) report.EngineProfile = EngineProfile.Run();
        }

        Console.WriteLine();
        Console.WriteLine(report.ToMarkdown());
        if (options.Out is { } file)
        {
            var path = Path.GetFullPath(file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, report.ToJson());
            Console.WriteLine($"JSON written to {path}");
        }
        return report.Databases.All(d => d.Verified) && report.Hosts.All(h => h.Verified) ? 0 : 1;
    }
}

internal sealed class BenchOptions
{
    public const string Usage =
        "usage: dotnet run -c Release --project bench -- [--quick] [--out FILE] [--only engine|db|hosts] [--db sqlite|postgresql] [--n COUNT] [--hosts 1,2,3] [--profile]\n" +
        "  --quick      300 instances per database run (2000 without it) and shorter engine runs\n" +
        "  --out FILE   also write the results as JSON\n" +
        "  --only X     run only the engine-only scenario, only the database scenario, or only the Hosts scenario\n" +
        "               (hosts: the approval scenario through 1, 2 and 3 Host processes on one PostgreSQL; not part of the default run)\n" +
        "  --hosts L    Host counts of the Hosts scenario (default 1,2,3)\n" +
        "  --db X       run the database scenario on one database only\n" +
        "  --n COUNT    instances per database run (overrides --quick's and the full count)\n" +
        "  --profile    after the measured runs, count the SQL commands and time the CPU steps of one resume";

    public bool Quick { get; private set; }
    public string? Out { get; private set; }
    public bool RunEngine { get; private set; } = true;
    public bool RunDatabases { get; private set; } = true;
    public bool RunHosts { get; private set; }
    public List<int> HostCounts { get; } = [];
    /// <summary>Instances in flight at once in the Hosts scenario.</summary>
    public int HostsConcurrency => 8;
    public bool Profile { get; private set; }
    public bool Help { get; private set; }
    public List<string> Databases { get; } = [];
    private int? _instances;

    public int Instances => _instances ?? (Quick ? 300 : 2000);
    public int[] Concurrencies { get; } = [1, 8];
    public int WarmUp => Math.Min(Quick ? 30 : 100, Instances);
    /// <summary>Interleaved rounds of raw transactions, starts and resumes per database run.</summary>
    public int Rounds => Math.Min(Quick ? 3 : 5, Instances);
    public TimeSpan EngineWarmUp => Quick ? TimeSpan.FromSeconds(0.5) : TimeSpan.FromSeconds(2);
    public TimeSpan EngineMeasure => Quick ? TimeSpan.FromSeconds(1.5) : TimeSpan.FromSeconds(5);

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--quick": o.Quick = true; break;
                case "--out": o.Out = Next(); break;
                case "--profile": o.Profile = true; break;
                case "--help" or "-h": o.Help = true; break;
                case "--only":
                    switch (Next())
                    {
                        case "engine": o.RunDatabases = false; break;
                        case "db": o.RunEngine = false; break;
                        case "hosts": o.RunEngine = false; o.RunDatabases = false; o.RunHosts = true; break;
                        case var x: throw new ArgumentException($"--only takes engine, db or hosts, not '{x}'.");
                    }
                    break;
                case "--db":
                    o.Databases.Add(Next().ToLowerInvariant() switch
                    {
                        "sqlite" => DatabaseScenario.Sqlite,
                        "postgresql" or "postgres" or "pg" => DatabaseScenario.PostgreSql,
                        var x => throw new ArgumentException($"--db takes sqlite or postgresql, not '{x}'."),
                    });
                    break;
                case "--n":
                    o._instances = int.TryParse(Next(), out var n) && n > 0 ? n : throw new ArgumentException("--n takes a positive whole number.");
                    break;
                case "--hosts":
                    foreach (var part in Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                        o.HostCounts.Add(int.TryParse(part, out var h) && h is > 0 and <= 8 ? h : throw new ArgumentException("--hosts takes counts from 1 to 8, like 1,2,3."));
                    break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
            }
        }
        if (o.HostCounts.Count == 0) o.HostCounts.AddRange([1, 2, 3]);
        if (o.Databases.Count == 0) o.Databases.AddRange([DatabaseScenario.Sqlite, DatabaseScenario.PostgreSql]);
        return o;
    }
}
