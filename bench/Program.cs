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

        if (options.RunDatabases || options.RunApprovals)
        {
            foreach (var database in options.Databases)
            {
                var results = await DatabaseScenario.RunAsync(database, options, report);
                report.Databases.AddRange(results);
            }
        }
        if (options.RunMail)
            report.Mail = await MailScenario.RunAsync(options);
        if (options.RunReminders)
        {
            await ReminderScenario.RunAsync(options);
            return Environment.ExitCode;
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
        return report.Databases.All(d => d.Verified) && report.Approvals.All(a => a.Verified) && report.Mail?.Verified != false
            && report.Hosts.All(h => h.Verified) ? 0 : 1;
    }
}

internal sealed class BenchOptions
{
    public const string Usage =
        "usage: dotnet run -c Release --project bench -- [--quick] [--out FILE] [--only engine|db|approval|mail|reminders|hosts] [--db sqlite|postgresql] [--n COUNT] [--rounds R] [--reminders COUNT] [--hosts 1,2,3] [--profile]\n" +
        "  --quick      300 instances per database run (2000 without it) and shorter engine runs\n" +
        "  --out FILE   also write the results as JSON\n" +
        "  --only X     run only one scenario: engine, db (start + resume), approval (three approval steps), mail (reminder burst over SMTP),\n" +
        "               reminders (end to end: due reminder timers of waiting approvals → emails in the maildir),\n" +
        "               hosts (the approval scenario through 1, 2 and 3 Host processes on one PostgreSQL; not part of the default run)\n" +
        "  --hosts L    Host counts of the Hosts scenario (default 1,2,3)\n" +
        "  --db X       run the database scenario on one database only\n" +
        "  --n COUNT    instances per database run (overrides --quick's and the full count); approval runs use COUNT / 4\n" +
        "  --reminders COUNT  due reminders of the mail burst (10000; 1000 with --quick)\n" +
        "  --rounds R   interleaved rounds per run (5; 3 with --quick): more rounds follow a drifting load more closely\n" +
        "  --profile    after the measured runs, count the SQL commands and time the CPU steps of one resume";

    public bool Quick { get; private set; }
    public string? Out { get; private set; }
    public bool RunEngine { get; private set; } = true;
    public bool RunDatabases { get; private set; } = true;
    public bool RunApprovals { get; private set; } = true;
    public bool RunMail { get; private set; } = true;
    public bool RunReminders { get; private set; }
    public bool RunHosts { get; private set; }
    public List<int> HostCounts { get; } = [];
    /// <summary>Instances in flight at once in the Hosts scenario.</summary>
    public int HostsConcurrency => 8;
    public bool Profile { get; private set; }
    public bool Help { get; private set; }
    public List<string> Databases { get; } = [];
    private int? _instances;

    public int Instances => _instances ?? (Quick ? 300 : 2000);
    /// <summary>Approval instances per run: each is four transactions and three inbox reads, so a quarter of the instances.</summary>
    public int ApprovalInstances => Math.Max(1, Instances / 4);
    private int? _reminders;
    public int Reminders => _reminders ?? (Quick ? 1000 : 10_000);
    public int[] Concurrencies { get; } = [1, 8];
    public int WarmUp => Math.Min(Quick ? 30 : 100, Instances);
    // The database scenario's rows take a fraction of a millisecond: 100 warm-up pairs are over before the JIT's tiering
    // (call counts, then a 100 ms quiet period, then the optimised recompile) is done, and the first measured round would
    // still run partly unoptimised code (see RESULTS.md, "Quiet-machine runs, 2026-12-05").
    public int DatabaseWarmUp => Math.Min(Quick ? 30 : 1000, Instances);
    /// <summary>Interleaved rounds of raw transactions, starts and resumes per database run.</summary>
    private int? _rounds;
    public int Rounds => Math.Max(1, Math.Min(_rounds ?? (Quick ? 3 : 5), Math.Min(Instances / 4, Reminders)));
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
                    var only = Next();
                    if (only is not ("engine" or "db" or "approval" or "mail" or "reminders" or "hosts"))
                        throw new ArgumentException($"--only takes engine, db, approval, mail, reminders or hosts, not '{only}'.");
                    o.RunEngine = only == "engine";
                    o.RunDatabases = only == "db";
                    o.RunApprovals = only == "approval";
                    o.RunMail = only == "mail";
                    o.RunReminders = only == "reminders";
                    o.RunHosts = only == "hosts";
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
                case "--rounds":
                    o._rounds = int.TryParse(Next(), out var k) && k > 0 ? k : throw new ArgumentException("--rounds takes a positive whole number.");
                    break;
                case "--reminders":
                    o._reminders = int.TryParse(Next(), out var r) && r > 0 ? r : throw new ArgumentException("--reminders takes a positive whole number.");
                    break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
            }
        }
        if (o.HostCounts.Count == 0) o.HostCounts.AddRange([1, 2, 3]);
        if (o.Databases.Count == 0) o.Databases.AddRange([DatabaseScenario.Sqlite, DatabaseScenario.PostgreSql]);
        return o;
    }
}
