using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Engine.Execution;
using Workflows.Host.Definitions;
using Workflows.Host.Runtime;
using Workflows.Persistence;

namespace Workflows.Bench;

/// <summary>
/// --profile: where a resume's time goes. Serial starts and resumes with EF's diagnostic events counted (SQL
/// commands, their database time, connections, transactions), then the CPU steps of a resume timed in memory.
/// Only switched on after the measured runs: a diagnostic subscriber makes EF build event data for every command.
/// </summary>
internal static class Profiler
{
    public static async Task<ResumeProfile> ProfileResumesAsync(string database, IServiceProvider services, int count)
    {
        var runtime = services.GetRequiredService<WorkflowRuntime>();
        Console.WriteLine($"   profiling {count} serial starts and resumes ...");
        using var counter = new EfEventCounter();
        // EF re-checks whether anyone listens to its diagnostic events only now and then per context, and the runtime's
        // contexts are pooled (they live on): without this pause the first second of events is partly missed.
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var waiting = new (string Instance, string Bookmark)[count];
        counter.Reset();
        counter.CaptureText = true;
        for (var i = 0; i < count; i++)
        {
            var outcome = await runtime.StartAsync(DatabaseScenario.DefinitionId, null, null, null, Actor.System);
            waiting[i] = (outcome.InstanceId, outcome.Result.CreatedBookmarks.Single().Id);
            if (i == 0) counter.CaptureText = false;
        }
        var startCommands = counter.Commands / (double)count;
        var startSql = counter.Texts.ToList();

        // The statements of one resume, as sent.
        counter.Reset();
        counter.CaptureText = true;
        await runtime.ResumeAsync(waiting[0].Instance, waiting[0].Bookmark, null, Actor.System);
        counter.CaptureText = false;
        var sql = counter.Texts.ToList();

        counter.Reset();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var t0 = Stopwatch.GetTimestamp();
        for (var i = 1; i < count; i++)
            await runtime.ResumeAsync(waiting[i].Instance, waiting[i].Bookmark, null, Actor.System);
        var wall = Stopwatch.GetElapsedTime(t0);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var resumes = count - 1;

        var profile = new ResumeProfile
        {
            Resumes = resumes,
            WallMsPerResume = Math.Round(wall.TotalMilliseconds / resumes, 3),
            SqlCommandsPerStart = Math.Round(startCommands, 2),
            SqlCommandsPerResume = Math.Round(counter.Commands / (double)resumes, 2),
            SqlCommandsByKind = counter.ByKind.OrderByDescending(k => k.Value)
                .ToDictionary(k => k.Key, k => Math.Round(k.Value / (double)resumes, 2)),
            DatabaseMsPerResume = Math.Round(counter.CommandTime.TotalMilliseconds / resumes, 3),
            ConnectionOpenMsPerResume = Math.Round(counter.OpenTime.TotalMilliseconds / resumes, 3),
            BeginMsPerResume = Math.Round(counter.BeginTime.TotalMilliseconds / resumes, 3),
            CommitMsPerResume = Math.Round(counter.CommitTime.TotalMilliseconds / resumes, 3),
            ConnectionOpensPerResume = Math.Round(counter.ConnectionOpens / (double)resumes, 2),
            TransactionsPerResume = Math.Round(counter.Transactions / (double)resumes, 2),
            AllocatedKbPerResume = Math.Round(allocated / 1024.0 / resumes, 1),
            FirstResumeSql = sql,
            FirstStartSql = startSql,
        };
        profile.Timeline = await TimelineAsync(runtime, counter, Math.Min(200, count));
        counter.Dispose();
        await UntracedAsync(runtime, profile, count);
        await TimeCpuStepsAsync(services, profile);

        Console.WriteLine($"   per start: {profile.SqlCommandsPerStart} SQL commands: {string.Join(" | ", startSql.Select(t => t.Length > 60 ? t[..60] + " …" : t))}");
        Console.WriteLine("   (EF's commands only: InstanceWriter's own batch, the instance UPDATE + bookmark DELETEs + journal INSERTs, goes out on EF's connection without EF's events)");
        Console.WriteLine($"   per resume: {profile.SqlCommandsPerResume} SQL commands ({string.Join(", ", profile.SqlCommandsByKind.Select(k => $"{k.Key} {k.Value}"))}), " +
            $"{profile.ConnectionOpensPerResume} connection opens, {profile.TransactionsPerResume} transactions");
        Console.WriteLine($"   per resume: wall {profile.WallMsPerResume} ms, of which SQL commands {profile.DatabaseMsPerResume} ms, " +
            $"connection opens {profile.ConnectionOpenMsPerResume} ms, begin {profile.BeginMsPerResume} ms, commit {profile.CommitMsPerResume} ms; " +
            $"{profile.AllocatedKbPerResume} KB allocated; state JSON {profile.StateJsonBytes} B");
        Console.WriteLine($"   untraced serial resumes: wall {profile.UntracedWallMsPerResume} ms, process CPU {profile.CpuMsPerResume} ms, " +
            $"{profile.UntracedAllocatedKbPerResume} KB allocated per resume");
        Console.WriteLine($"   CPU steps: state from JSON {profile.StateFromJsonUs} µs, engine resume {profile.EngineResumeUs} µs, " +
            $"state to JSON {profile.StateToJsonUs} µs, definition (cached) {profile.DefinitionLookupUs} µs");
        Console.WriteLine("   where a serial resume's time goes (mean gap before each EF event; gaps under 2 % folded):");
        foreach (var step in profile.Timeline) Console.WriteLine($"     {step.Microseconds,9:F1} µs  {step.Step}");
        Console.WriteLine($"   SQL of one resume ({database}):");
        foreach (var text in sql) Console.WriteLine($"     {text}");
        return profile;
    }

    /// <summary>
    /// Serial resumes with every EF event time-stamped: the mean time between consecutive events says where a resume's
    /// time goes (e.g. the gap before CommandExecuted is the database's answer, the gap before TransactionStarting
    /// after the SELECT is the state parse and the engine run).
    /// </summary>
    private static async Task<List<TimelineStep>> TimelineAsync(WorkflowRuntime runtime, EfEventCounter counter, int count)
    {
        var waiting = new List<(string Instance, string Bookmark)>();
        for (var i = 0; i < count; i++)
        {
            var outcome = await runtime.StartAsync(DatabaseScenario.DefinitionId, null, null, null, Actor.System);
            waiting.Add((outcome.InstanceId, outcome.Result.CreatedBookmarks.Single().Id));
        }
        var runs = new List<List<(string Name, long Ticks)>>();
        foreach (var (instance, bookmark) in waiting)
        {
            var timeline = new List<(string Name, long Ticks)> { ("ResumeAsync called", Stopwatch.GetTimestamp()) };
            counter.Timeline = timeline;
            await runtime.ResumeAsync(instance, bookmark, null, Actor.System);
            counter.Timeline = null;
            timeline.Add(("ResumeAsync returned", Stopwatch.GetTimestamp()));
            runs.Add(timeline);
        }
        // Runs whose event sequence is the most common one (a retry or a pool miss changes the shape).
        var shape = runs.GroupBy(r => string.Join('|', r.Select(e => e.Name))).OrderByDescending(g => g.Count()).First().ToList();
        var events = shape[0].Select(e => e.Name).ToList();
        var gaps = new double[events.Count];
        foreach (var run in shape)
            for (var i = 1; i < run.Count; i++)
                gaps[i] += Stopwatch.GetElapsedTime(run[i - 1].Ticks, run[i].Ticks).TotalMicroseconds / shape.Count;
        var total = gaps.Sum();
        var steps = new List<TimelineStep>();
        var folded = 0.0;
        for (var i = 1; i < events.Count; i++)
        {
            if (gaps[i] < 0.02 * total) { folded += gaps[i]; continue; }
            steps.Add(new TimelineStep($"{events[i - 1]} → {events[i]}", Math.Round(gaps[i], 1)));
        }
        steps.Add(new TimelineStep($"{events.Count - 1 - (steps.Count)} other gaps, each under 2 %", Math.Round(folded, 1)));
        steps.Add(new TimelineStep($"total ({shape.Count} of {runs.Count} runs had this event sequence)", Math.Round(total, 1)));
        return steps;
    }

    /// <summary>
    /// Serial resumes with no diagnostic subscriber: wall time, the process's CPU time (the runtime's, EF's and SQLite's
    /// own work, which the machine's load changes far less than the wall time) and allocations per resume.
    /// </summary>
    private static async Task UntracedAsync(WorkflowRuntime runtime, ResumeProfile profile, int count)
    {
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // EF notices now and then that nobody listens any more
        var waiting = new (string Instance, string Bookmark)[count];
        for (var i = 0; i < count; i++)
        {
            var outcome = await runtime.StartAsync(DatabaseScenario.DefinitionId, null, null, null, Actor.System);
            waiting[i] = (outcome.InstanceId, outcome.Result.CreatedBookmarks.Single().Id);
        }
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var allocated0 = GC.GetTotalAllocatedBytes(precise: true);
        var t0 = Stopwatch.GetTimestamp();
        foreach (var (instance, bookmark) in waiting)
            await runtime.ResumeAsync(instance, bookmark, null, Actor.System);
        var wall = Stopwatch.GetElapsedTime(t0);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated0;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpu0;
        profile.UntracedWallMsPerResume = Math.Round(wall.TotalMilliseconds / count, 3);
        profile.CpuMsPerResume = Math.Round(cpu.TotalMilliseconds / count, 3);
        profile.UntracedAllocatedKbPerResume = Math.Round(allocated / 1024.0 / count, 1);
    }

    /// <summary>The in-memory steps of ChangeAsync around the database: parse the state, run the engine, serialize the state.</summary>
    private static async Task TimeCpuStepsAsync(IServiceProvider services, ResumeProfile profile)
    {
        var engine = services.GetRequiredService<WorkflowEngine>();
        var definitions = services.GetRequiredService<DefinitionStore>();
        var definition = (await definitions.GetAsync(DatabaseScenario.DefinitionId, null))!;
        var started = await engine.StartAsync(definition);
        var json = started.State.ToJson();
        var bookmark = started.State.Bookmarks.Single().Id;
        profile.StateJsonBytes = System.Text.Encoding.UTF8.GetByteCount(json);

        const int iterations = 3000;
        for (var i = 0; i < 300; i++)
            await engine.ResumeAsync(definition, WorkflowState.FromJson(json), bookmark);

        var t = Stopwatch.GetTimestamp();
        for (var i = 0; i < iterations; i++) WorkflowState.FromJson(json);
        profile.StateFromJsonUs = Math.Round(Stopwatch.GetElapsedTime(t).TotalMicroseconds / iterations, 2);

        var states = Enumerable.Range(0, iterations).Select(_ => WorkflowState.FromJson(json)).ToArray();
        t = Stopwatch.GetTimestamp();
        RunResult? last = null;
        foreach (var state in states) last = await engine.ResumeAsync(definition, state, bookmark);
        profile.EngineResumeUs = Math.Round(Stopwatch.GetElapsedTime(t).TotalMicroseconds / iterations, 2);

        t = Stopwatch.GetTimestamp();
        for (var i = 0; i < iterations; i++) last!.State.ToJson();
        profile.StateToJsonUs = Math.Round(Stopwatch.GetElapsedTime(t).TotalMicroseconds / iterations, 2);

        var version = definition.Version;
        t = Stopwatch.GetTimestamp();
        for (var i = 0; i < iterations; i++) await definitions.GetAsync(DatabaseScenario.DefinitionId, version);
        profile.DefinitionLookupUs = Math.Round(Stopwatch.GetElapsedTime(t).TotalMicroseconds / iterations, 2);
    }

    /// <summary>Counts EF Core's diagnostic events of every context in the process while it lives.</summary>
    internal sealed class EfEventCounter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly IDisposable _all;
        private readonly List<IDisposable> _subscriptions = [];
        private readonly Lock _lock = new();

        public EfEventCounter() => _all = DiagnosticListener.AllListeners.Subscribe(this);

        public int Commands { get; private set; }
        public TimeSpan CommandTime { get; private set; }
        public TimeSpan OpenTime { get; private set; }
        public TimeSpan BeginTime { get; private set; }
        public TimeSpan CommitTime { get; private set; }
        public int ConnectionOpens { get; private set; }
        public int Transactions { get; private set; }
        public Dictionary<string, int> ByKind { get; } = new(StringComparer.Ordinal);
        public List<string> Texts { get; } = [];
        public bool CaptureText { get; set; }

        public void Reset()
        {
            lock (_lock)
            {
                Commands = ConnectionOpens = Transactions = 0;
                CommandTime = OpenTime = BeginTime = CommitTime = TimeSpan.Zero;
                ByKind.Clear();
                Texts.Clear();
            }
        }

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name != DbLoggerCategory.Name) return;
            lock (_lock) _subscriptions.Add(listener.Subscribe(this));
        }

        /// <summary>When set, every event's name and time, in order.</summary>
        public List<(string Name, long Ticks)>? Timeline { get; set; }

        public void OnNext(KeyValuePair<string, object?> e)
        {
            lock (_lock)
            {
                Timeline?.Add((e.Key.Replace("Microsoft.EntityFrameworkCore.", "", StringComparison.Ordinal), Stopwatch.GetTimestamp()));
                if (e.Key == RelationalEventId.CommandExecuted.Name && e.Value is CommandExecutedEventData executed)
                {
                    Commands++;
                    CommandTime += executed.Duration;
                    var text = executed.Command.CommandText;
                    var kind = Kind(text);
                    ByKind[kind] = ByKind.GetValueOrDefault(kind) + 1;
                    if (CaptureText) Texts.Add(OneLine(text));
                }
                else if (e.Key == RelationalEventId.ConnectionOpened.Name && e.Value is ConnectionEndEventData opened)
                {
                    ConnectionOpens++;
                    OpenTime += opened.Duration;
                }
                else if (e.Key == RelationalEventId.TransactionStarted.Name && e.Value is TransactionEndEventData started)
                {
                    Transactions++;
                    BeginTime += started.Duration;
                    if (CaptureText) Texts.Add("BEGIN (the provider's BeginTransaction)");
                }
                else if (e.Key == RelationalEventId.TransactionCommitted.Name && e.Value is TransactionEndEventData committed)
                {
                    CommitTime += committed.Duration;
                    if (CaptureText) Texts.Add("COMMIT");
                }
            }
        }

        /// <summary>What a command does: a batch of several statements is named by all of them.</summary>
        private static string Kind(string text)
        {
            var verbs = text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => s.Split((char[])[' ', '\n', '\r', '\t'], 2)[0].ToUpperInvariant())
                .Where(v => v.Length > 0 && !v.StartsWith("--", StringComparison.Ordinal))
                .ToList();
            return verbs.Count == 0 ? "?" : string.Join("+", verbs);
        }

        private static string OneLine(string text)
        {
            var s = string.Join(' ', text.Split((char[])['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            return s.Length <= 240 ? s : s[..240] + " …";
        }

        public void OnError(Exception error) { }
        public void OnCompleted() { }

        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _all.Dispose();
            lock (_lock)
            {
                foreach (var s in _subscriptions) s.Dispose();
                _subscriptions.Clear();
            }
        }
    }
}
