using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workflows.Bench;

internal sealed class BenchReport
{
    public required MachineInfo Machine { get; init; }
    public required string Command { get; init; }
    public bool Quick { get; init; }
    public int Instances { get; init; }
    /// <summary>resumes/s ÷ raw tx/s that the runtime aims for, at the same concurrency, on every database.</summary>
    public double TargetRatio { get; init; } = 0.30;
    public List<DatabaseResult> Databases { get; } = [];
    public List<ApprovalResult> Approvals { get; } = [];
    public MailResult? Mail { get; set; }
    public List<HostsResult> Hosts { get; } = [];
    public List<EngineResult> Engine { get; } = [];
    /// <summary>--profile: the fixed cost of a run and the marginal cost of one activity.</summary>
    public List<EngineCost>? EngineProfile { get; set; }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        if (Databases.Count > 0)
        {
            sb.AppendLine($"Database scenario: N = {Instances} instances of bench/workflows/event-go.json per row (start, then resume the \"go\" bookmark); " +
                $"raw tx = one transaction of 1 UPDATE + 2 INSERTs; ratio = resumes/s ÷ raw tx/s (target ≥ {TargetRatio:P0}).");
            sb.AppendLine();
            sb.AppendLine("| database | concurrency | starts/s | resumes/s | resume p50 ms | resume p99 ms | raw tx/s | ratio | target met |");
            sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---|");
            foreach (var d in Databases)
                sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {d.Database} | {d.Concurrency} | {d.StartsPerSecond:F0} | {d.ResumesPerSecond:F0} | {d.ResumeP50Ms:F2} | {d.ResumeP99Ms:F2} | {d.RawTxPerSecond:F0} | {d.Ratio:F3} | {(d.Ratio >= TargetRatio ? "yes" : "no")}{(d.Verified ? "" : " (UNVERIFIED)")} |"));
            sb.AppendLine();
            var busy = Databases.Where(d => d.RawTxPerSecondSqliteBusyTimeout is not null).ToList();
            if (busy.Count > 0)
            {
                sb.AppendLine("For comparison only (not the ratio's divisor): SQLite's raw tx/s with PRAGMA busy_timeout = 5000 on each connection " +
                    "(SQLite's own busy handler instead of Microsoft.Data.Sqlite's retry every 150 ms): " +
                    string.Join(", ", busy.Select(d => string.Create(CultureInfo.InvariantCulture, $"concurrency {d.Concurrency}: {d.RawTxPerSecondSqliteBusyTimeout:F0}"))) + ".");
                sb.AppendLine();
            }
            sb.AppendLine("Resume latency, mean / max ms: " + string.Join(", ", Databases.Select(d =>
                string.Create(CultureInfo.InvariantCulture, $"{d.Database} c{d.Concurrency} {d.ResumeMeanMs:F2} / {d.ResumeMaxMs:F0}"))) + ".");
            sb.AppendLine();
        }
        if (Approvals.Count > 0)
        {
            sb.AppendLine("Approval scenario: bench/workflows/approval-3.json (Start → 3 × Workflows.Approval → End); an instance = the applicant's start, then " +
                "for each step the assignee's inbox read and an approve through TasksApi.ActOnTaskAsync (the code path of POST /api/tasks/{id}/actions). " +
                "ratio = instances/s ÷ raw tx/s; tx ratio = 4 × instances/s ÷ raw tx/s (an instance is 4 runtime transactions).");
            sb.AppendLine();
            sb.AppendLine("| database | concurrency | instances | instances/s | approvals/s | instance p50 ms | instance p99 ms | raw tx/s | ratio | tx ratio |");
            sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var a in Approvals)
                sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {a.Database} | {a.Concurrency} | {a.Instances} | {a.InstancesPerSecond:F1} | {a.ActionsPerSecond:F0} | {a.InstanceP50Ms:F1} | {a.InstanceP99Ms:F1} | {a.RawTxPerSecond:F0} | {a.Ratio:F3} | {a.TransactionRatio:F3}{(a.Verified ? "" : " (UNVERIFIED)")} |"));
            sb.AppendLine();
            foreach (var a in Approvals.Where(a => a.SqlPerInstance is not null))
                sb.AppendLine($"{a.Database}, profiled serially: {a.SqlPerInstance}.").AppendLine();
        }
        if (Mail is { } m)
        {
            sb.AppendLine(m.ToMarkdown());
            sb.AppendLine();
        }
        if (Hosts.Count > 0)
        {
            sb.AppendLine($"Hosts scenario: N = {Hosts[0].Instances} approval instances per row through real Host processes (Release) on one PostgreSQL, " +
                $"concurrency {Hosts[0].Concurrency}, each call to a random Host: start, approve step 1, read the instance, approve step 2; " +
                $"write calls = start + 2 approvals (one transaction each); ratio = write calls/s ÷ raw tx/s of the same database, measured in the same rounds.");
            sb.AppendLine();
            sb.AppendLine("| Hosts | instances/s | write calls/s | call p50 ms | call p99 ms | raw tx/s | ratio | load average |");
            sb.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---|");
            foreach (var h in Hosts)
                sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {h.Hosts} | {h.InstancesPerSecond:F1} | {h.WritesPerSecond:F1} | {h.CallP50Ms:F1} | {h.CallP99Ms:F1} | {h.RawTxPerSecond:F0} | {h.Ratio:F3} | {h.LoadAverage}{(h.Verified ? "" : " (UNVERIFIED)")} |"));
            sb.AppendLine();
        }
        if (Engine.Count > 0)
        {
            sb.AppendLine("Engine-only scenario (in memory, nothing captured): the figures to hold against Elsa 3 on the same JSON files.");
            sb.AppendLine();
            sb.AppendLine("| workflow | activities/run | runs/s | activities/s | µs/run | bytes allocated/run |");
            sb.AppendLine("|---|---:|---:|---:|---:|---:|");
            foreach (var e in Engine)
                sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {e.Workflow} ({e.Description}) | {e.ActivitiesPerRun} | {e.RunsPerSecond:N0} | {e.ActivitiesPerSecond:N0} | {e.MicrosecondsPerRun:F1} | {e.BytesAllocatedPerRun:N0} |"));
            foreach (var e in Engine.Where(e => e.Notes is not null)) sb.AppendLine($"\nNote ({e.Workflow}): {e.Notes}");
        }
        return sb.ToString();
    }
}

internal sealed class DatabaseResult
{
    public required string Database { get; init; }
    public int Concurrency { get; init; }
    public int Instances { get; init; }
    public double StartsPerSecond { get; init; }
    public double ResumesPerSecond { get; init; }
    public double ResumeP50Ms { get; init; }
    public double ResumeP99Ms { get; init; }
    public double ResumeMeanMs { get; init; }
    public double ResumeMaxMs { get; init; }
    /// <summary>/proc/loadavg after the row: on a shared machine, what else was running.</summary>
    public string? LoadAverage { get; init; }
    public double RawTxPerSecond { get; init; }
    /// <summary>
    /// SQLite only, for comparison: the raw transactions with PRAGMA busy_timeout = 5000 set on each connection, i.e.
    /// with SQLite's own busy handler rather than Microsoft.Data.Sqlite's retry every 150 ms. Not the ratio's divisor.
    /// </summary>
    public double? RawTxPerSecondSqliteBusyTimeout { get; init; }
    public double Ratio { get; init; }
    /// <summary>Every instance ended Finished with no bookmark left, and every raw transaction committed.</summary>
    public bool Verified { get; init; }
    public ResumeProfile? Profile { get; init; }
}

internal sealed class EngineResult
{
    public required string Workflow { get; init; }
    public required string Description { get; init; }
    /// <summary>Activity executions of one run as the engine counts them (RunResult.Steps; the root flowchart included).</summary>
    public int ActivitiesPerRun { get; init; }
    public int Runs { get; init; }
    public double RunsPerSecond { get; init; }
    public double ActivitiesPerSecond { get; init; }
    public double MicrosecondsPerRun { get; init; }
    /// <summary>GC.GetAllocatedBytesForCurrentThread around many runs after warm-up, divided by the runs.</summary>
    public double BytesAllocatedPerRun { get; init; }
    public string? Notes { get; set; }
}

internal sealed class ResumeProfile
{
    public int Resumes { get; init; }
    public double WallMsPerResume { get; init; }
    public double SqlCommandsPerStart { get; init; }
    public double SqlCommandsPerResume { get; init; }
    public Dictionary<string, double> SqlCommandsByKind { get; init; } = [];
    /// <summary>The sum of EF's command durations (sending, executing, reading) per resume.</summary>
    public double DatabaseMsPerResume { get; init; }
    public double ConnectionOpensPerResume { get; init; }
    public double ConnectionOpenMsPerResume { get; init; }
    public double BeginMsPerResume { get; init; }
    public double CommitMsPerResume { get; init; }
    public double TransactionsPerResume { get; init; }
    public double AllocatedKbPerResume { get; init; }
    public List<string> FirstResumeSql { get; init; } = [];
    public List<string> FirstStartSql { get; init; } = [];
    public List<TimelineStep> Timeline { get; set; } = [];
    public int StateJsonBytes { get; set; }
    public double StateFromJsonUs { get; set; }
    public double EngineResumeUs { get; set; }
    public double StateToJsonUs { get; set; }
    public double DefinitionLookupUs { get; set; }
    /// <summary>Serial resumes with no diagnostic subscriber: wall, the process's CPU time, allocations.</summary>
    public double UntracedWallMsPerResume { get; set; }
    public double CpuMsPerResume { get; set; }
    public double UntracedAllocatedKbPerResume { get; set; }
}

internal sealed class MachineInfo
{
    public int Cpus { get; init; }
    public string CpuModel { get; init; } = "";
    public string Memory { get; init; } = "";
    public string Os { get; init; } = "";
    public string DotNet { get; init; } = "";
    public string Gc { get; init; } = "";
    public string Date { get; init; } = "";
    public string? PostgreSql { get; set; }
    public string? Sqlite { get; set; }
    public string? LoadAverageAtStart { get; init; } = LoadAverage();

    public static MachineInfo Collect() => new()
    {
        Cpus = Environment.ProcessorCount,
        CpuModel = ReadField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        Memory = ReadField("/proc/meminfo", "MemTotal") is { } kb && long.TryParse(kb.Split(' ')[0], out var k)
            ? $"{k / 1024.0 / 1024.0:F1} GiB" : "?",
        Os = ReadOsRelease() ?? RuntimeInformation.OSDescription,
        DotNet = RuntimeInformation.FrameworkDescription.Replace(".NET ", "", StringComparison.Ordinal),
        Gc = System.Runtime.GCSettings.IsServerGC ? "server" : "workstation",
        Date = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
    };

    /// <summary>The 1, 5 and 15 minute load averages (Linux), to tell a quiet machine from a busy one.</summary>
    public static string? LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null;

    private static string? ReadField(string file, string name)
    {
        if (!File.Exists(file)) return null;
        return File.ReadLines(file).Where(l => l.StartsWith(name, StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(':') + 1)..].Trim()).FirstOrDefault();
    }

    private static string? ReadOsRelease() =>
        File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").Where(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
                .Select(l => l["PRETTY_NAME=".Length..].Trim('"') + $" (kernel {Environment.OSVersion.Version})").FirstOrDefault()
            : null;
}

internal sealed record TimelineStep(string Step, double Microseconds);
