using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Workflows.Persistence;
using Workflows.Persistence.Entities;
using Workflows.Testing;

namespace Workflows.Faults.Tests;

/// <summary>What one harness run does to the Hosts while the scripts run.</summary>
internal sealed record FaultPlan
{
    public required DatabaseProvider Provider { get; init; }
    public required string ConnectionString { get; init; }
    public required int Hosts { get; init; }
    public required int Instances { get; init; }
    /// <summary>Scripts in flight at once.</summary>
    public int Parallel { get; init; } = 12;
    /// <summary>SIGKILL one Host when this share of the scripts is done, then start it again.</summary>
    public double? KillAt { get; init; }
    /// <summary>Stop the SMTP server at this share until a send has failed, then start it again on the same port.</summary>
    public double? SmtpOutageAt { get; init; }
    /// <summary>SIGTERM one Host at this share (it must exit 0 and hand back the mail it held), then start it again.</summary>
    public double? TerminateAt { get; init; }
}

/// <summary>
/// Drives approval instances through real Host processes (each request to a random Host), breaks things on the way
/// (<see cref="FaultPlan"/>) and then checks the database and the SMTP server's mailbox for what the README promises:
/// every instance where its script leads, every due mail delivered (at least once, repeats only as the guarantee allows),
/// every timer fired exactly once, no orphaned bookmark, task or timer, every action journaled once.
/// </summary>
internal sealed class FaultHarness : IAsyncDisposable
{
    public const string Password = "Demo@2026";
    private const string Admin = "admin@demo.local", Teacher = "teacher1@demo.local", Principal = "principal1@demo.local", Lead = "lead1@demo.local",
        Personnel = "personnel@demo.local";
    /// <summary>Hangfire workers per Host: at most this many send jobs of one Host hold a message in flight when it dies.</summary>
    public const int WorkerCount = 4;

    private readonly FaultPlan _plan;
    private readonly SmtpServer _smtp;
    private readonly string _data;
    private readonly List<HostProcess> _hosts = [];
    private readonly ConcurrentQueue<string> _events = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private HostCluster? _cluster;
    private int _done;
    private int _sigkills, _smtpOutages, _sigterms;

    public FaultHarness(FaultPlan plan, SmtpServer smtp)
    {
        _plan = plan;
        _smtp = smtp;
        _data = Directory.CreateTempSubdirectory("workflows-faults-").FullName;
        Log($"---- {TestContext.Current.Test?.TestDisplayName}: {plan.Instances} instances, {plan.Hosts} Host(s) on {plan.Provider}, {Environment.ProcessorCount} CPU ----");
    }

    public IReadOnlyCollection<string> Events => _events;
    public string Log(string line)
    {
        var entry = $"[{_clock.Elapsed.TotalSeconds,7:0.0}s] {line}";
        _events.Enqueue(entry);
        TestContext.Current.TestOutputHelper?.WriteLine(entry);
        // The last run's events, also for runs that passed (figures for bench/RESULTS.md).
        lock (_events) File.AppendAllText(Path.Combine(AppContext.BaseDirectory, "faults-last.log"), entry + Environment.NewLine);
        return entry;
    }

    private static string Metadata(string key) =>
        typeof(FaultHarness).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public static string HostDll => Path.GetFullPath(Metadata("HostAssembly"));
    public static string RepositoryRoot => Path.GetFullPath(Metadata("RepositoryRoot"));

    private WorkflowsDbContext Db() =>
        WorkflowsDbContextFactory.Create(new DatabaseOptions { Provider = _plan.Provider, ConnectionString = _plan.ConnectionString });

    /// <summary>Starts every Host at the same moment (they migrate, seed and import concurrently).</summary>
    public async Task StartHostsAsync()
    {
        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = _plan.Provider.ToString(),
            ["Database__ConnectionString"] = _plan.ConnectionString,
            ["Smtp__Host"] = _smtp.Host,
            ["Smtp__Port"] = _smtp.Port.ToString(),
            ["Smtp__PollInterval"] = "00:00:00.500",
            ["Smtp__ClaimLease"] = "00:01:00",
            ["Workflows__TimerPollInterval"] = "00:00:01",
            ["Workflows__TimerClaimLease"] = "00:00:10",
            ["Workflows__DemoData"] = "true",
            ["Workflows__DemoPassword"] = Password,
            // One key ring for every Host: a sign-in cookie of one Host works on all.
            ["Auth__KeysDirectory"] = Path.Combine(_data, "keys"),
            ["Hangfire__WorkerCount"] = WorkerCount.ToString(),
            ["Hangfire__Dashboard"] = "false",
        };
        for (var i = 1; i <= _plan.Hosts; i++)
            _hosts.Add(new HostProcess($"host{i}", HostDll, RepositoryRoot, settings));
        await Task.WhenAll(_hosts.Select(h => h.StartAsync()));
        _cluster = new HostCluster(_hosts);
        Log($"{_hosts.Count} Host(s) ready on {string.Join(", ", _hosts.Select(h => h.BaseUrl))} ({_plan.Provider})");
    }

    private HostCluster Cluster => _cluster!;

    // ---- the scripts -------------------------------------------------------------------------------------------------

    private enum Kind { ApproveRace, Return, Reject, Timer, DecideRace, Objection }

    /// <summary>One call of an action: its unique comment, the answer, and whether a Host failed under it first.</summary>
    private sealed record Attempt(string Comment, string Action, int Status, int TransportFailures);

    /// <summary>One settled step: the calls made for it (several when callers raced). Exactly one of them was carried out.</summary>
    private sealed class StepRecord(string activity)
    {
        public string Activity { get; } = activity;
        public List<Attempt> Attempts { get; } = [];
    }

    private sealed class Script(int index, Kind kind)
    {
        public int Index { get; } = index;
        public Kind Kind { get; } = kind;
        public string CorrelationId { get; } = $"faults-{index:00000}";
        public string? InstanceId { get; set; }
        public List<StepRecord> Steps { get; } = [];
        /// <summary>(activity, action) of every step, in order: what the tasks table must show at the end.</summary>
        public List<(string Activity, string Action)> Expected { get; } = [];
        public string? Error { get; set; }
        /// <summary>Objection: the unique facts of the one objection filed.</summary>
        public string? Facts { get; set; }
    }

    private readonly List<Script> _scripts = [];
    private string _principalId = "", _leadId = "", _teacherId = "", _personnelId = "";

    public async Task RunScriptsAsync()
    {
        var admin = await Cluster.SignInAsync(Admin, Password);
        _teacherId = await Cluster.SignInAsync(Teacher, Password);
        _personnelId = await Cluster.SignInAsync(Personnel, Password);
        _principalId = await Cluster.SignInAsync(Principal, Password);
        _leadId = await Cluster.SignInAsync(Lead, Password);
        _ = admin;
        foreach (var definition in new[] { ScenarioFlows.ApprovalFlow(_principalId, _leadId), ScenarioFlows.TimerFlow(_principalId), ScenarioFlows.ObjectionFlow(_principalId, _personnelId) })
        {
            var answer = await Cluster.PostAsync(Admin, "/api/definitions?publish=true", definition);
            if (answer.Status is not (200 or 201)) throw new InvalidOperationException($"Import failed: {answer.Status} {answer.Body}");
        }

        for (var i = 0; i < _plan.Instances; i++) _scripts.Add(new Script(i, (Kind)(i % 6)));
        var watch = Stopwatch.StartNew();
        var chaos = Task.Run(ChaosAsync);
        var next = -1;
        var workers = Enumerable.Range(0, _plan.Parallel).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < _scripts.Count)
            {
                var script = _scripts[i];
                try { await RunAsync(script); }
                catch (Exception ex) { script.Error = ex.Message; Log($"script {script.CorrelationId} failed: {ex.Message}"); }
                Interlocked.Increment(ref _done);
            }
        })).ToList();
        await Task.WhenAll(workers);
        Log($"{_scripts.Count} scripts driven in {watch.Elapsed.TotalSeconds:0.0}s ({Cluster.TransportFailures} call(s) failed over to another Host)");
        await chaos;
    }

    private async Task RunAsync(Script script)
    {
        var definition = script.Kind switch { Kind.Timer => ScenarioFlows.Timer, Kind.Objection => ScenarioFlows.Objection, _ => ScenarioFlows.Approval };
        script.InstanceId = await StartAsync(script, definition);
        switch (script.Kind)
        {
            case Kind.ApproveRace:
                await RaceAsync(script, "s1", Principal, ["approve", "approve"]);
                await ActAsync(script, "s2", Lead, "approve");
                break;
            case Kind.Return:
                await ActAsync(script, "s1", Principal, "approve");
                await ActAsync(script, "s2", Lead, "return", new JsonObject { ["toStep"] = "s1" });
                await ActAsync(script, "s1", Principal, "approve");
                await ActAsync(script, "s2", Lead, "approve");
                break;
            case Kind.Reject:
                await ActAsync(script, "s1", Principal, "reject");
                break;
            case Kind.Timer:
                await ActAsync(script, "s1", Principal, "approve"); // its task appears once the delay has fired
                break;
            case Kind.DecideRace:
                await ActAsync(script, "s1", Principal, "approve");
                await RaceAsync(script, "s2", Lead, ["approve", "reject"]);
                break;
            case Kind.Objection:
            {
                await ObjectAsync(script);
                // Upheld (approve: the nominee is withdrawn) or dismissed (reject), by script index; two callers race on it.
                var decision = script.Index / 6 % 2 == 0 ? "approve" : "reject";
                await RaceAsync(script, "notice", Personnel, [decision, decision], new JsonObject { ["finding"] = $"核查 {script.CorrelationId}" });
                await EndWindowAsync(script);
                break;
            }
        }
    }

    /// <summary>
    /// Files one named objection (the teacher, signed in, with an email address) to the instance's notice. The notice id is
    /// the stimulus of the notice's objection bookmark. Filing is not idempotent, so a call whose Host died under it is only
    /// sent again when the journal does not show the objection (its facts are unique).
    /// </summary>
    private async Task ObjectAsync(Script script)
    {
        string? noticeId = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (noticeId is null)
        {
            await using (var db = Db())
                noticeId = await db.Bookmarks.AsNoTracking()
                    .Where(b => b.InstanceId == script.InstanceId && b.Kind == "Workflows.Publicity.Objection")
                    .Select(b => b.Stimulus).FirstOrDefaultAsync();
            if (noticeId is null)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"{script.CorrelationId}: no objection bookmark");
                await Task.Delay(200);
            }
        }
        script.Facts = $"异议 {script.CorrelationId} {Guid.NewGuid():N}";
        var body = new JsonObject { ["nomineeId"] = _principalId, ["facts"] = script.Facts, ["objectorEmail"] = Teacher };
        for (var attempt = 0; ; attempt++)
        {
            var answer = await Cluster.PostAsync(Teacher, $"/api/publicity/{noticeId}/objections", body);
            if (answer.Status == 201) return;
            if (answer.Status is 0 or >= 500 || answer.TransportFailures > 0)
            {
                await using var db = Db();
                var facts = script.Facts;
                if (await db.Journal.AsNoTracking().AnyAsync(j => j.InstanceId == script.InstanceId && j.Event == "ObjectionFiled" && j.Summary!.Contains(facts)))
                {
                    Log($"{script.CorrelationId}: objection answered {answer.Status}, it was filed");
                    return;
                }
                if (attempt < 20) continue;
            }
            throw new InvalidOperationException($"objection: {answer.Status} {answer.Body}");
        }
    }

    /// <summary>
    /// Ends the publicity window. FAKE TIME (the only place the harness fakes the clock): the window is N working days on the
    /// real clock, so the window-end timer's due time is moved to now in the database and its scheduled job forgotten; a
    /// TimerPump picks it up like any due timer (the Publicity step's timer resume does not look at the clock).
    /// </summary>
    private async Task EndWindowAsync(Script script)
    {
        await using var db = Db();
        var now = DateTimeOffset.UtcNow;
        var windowTimers = db.Bookmarks.Where(b => b.InstanceId == script.InstanceId && b.ActivityId == "notice" && b.Kind == "Timer").Select(b => b.Id);
        var moved = await db.Timers.Where(t => t.InstanceId == script.InstanceId && t.Status == TimerStatus.Pending && windowTimers.Contains(t.BookmarkId))
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.DueAt, now).SetProperty(t => t.ScheduledJobId, (string?)null));
        if (moved != 1) throw new InvalidOperationException($"{script.CorrelationId}: {moved} pending window timer(s), expected 1");
    }

    /// <summary>
    /// Starts the instance with an Idempotency-Key, as a careful client does: the cluster sends the call again when its Host
    /// died under it, and the Host that gets the repeat answers the instance the first call created (200) instead of
    /// starting a second one. The count of instances at the end checks that.
    /// </summary>
    private async Task<string> StartAsync(Script script, string definitionId)
    {
        var body = new JsonObject { ["definitionId"] = definitionId, ["correlationId"] = script.CorrelationId, ["input"] = new JsonObject { ["n"] = script.Index } };
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = "start-" + script.CorrelationId };
        for (var attempt = 0; ; attempt++)
        {
            var answer = await Cluster.PostAsync(Teacher, "/api/instances", body, headers: key);
            if (answer.Status is 201 or 200)
            {
                if (answer.Status == 200) Log($"{script.CorrelationId}: start repeated after a lost answer, the first instance was answered");
                return answer.Body!["id"]!.ToString();
            }
            if (answer.Status is 0 or >= 500 || answer.TransportFailures > 0)
            {
                // The call may have been carried out by a Host that died before it answered.
                await using var db = Db();
                var existing = await db.Instances.AsNoTracking().Where(i => i.CorrelationId == script.CorrelationId).Select(i => i.Id).FirstOrDefaultAsync();
                if (existing is not null) { Log($"{script.CorrelationId}: start answered {answer.Status}, instance exists"); return existing; }
                if (attempt < 20) continue;
            }
            throw new InvalidOperationException($"start: {answer.Status} {answer.Body}");
        }
    }

    /// <summary>
    /// The pending task of <paramref name="activity"/>, through the API like a client (a task's id is its bookmark's id);
    /// polls, since a timer may have to fire first.
    /// </summary>
    private async Task<string> TaskIdAsync(Script script, string activity)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        while (true)
        {
            var answer = await Cluster.GetAsync(Teacher, $"/api/instances/{script.InstanceId}");
            var id = answer.Status != 200 ? null : answer.Body?["bookmarks"]?.AsArray()
                .FirstOrDefault(b => b?["activityId"]?.ToString() == activity && b?["kind"]?.ToString() == "Workflows.Approval")?["id"]?.ToString();
            if (id is not null) return id;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{script.CorrelationId}: no pending task at {activity} ({answer.Status})");
            await Task.Delay(200);
        }
    }

    private string Comment(Script script, string activity) => $"fault {script.CorrelationId} {activity}#{script.Steps.Count} {Guid.NewGuid():N}";

    private async Task ActAsync(Script script, string activity, string user, string action, JsonObject? extra = null)
    {
        var taskId = await TaskIdAsync(script, activity);
        var step = new StepRecord(activity);
        script.Steps.Add(step);
        var comment = Comment(script, activity);
        var body = new JsonObject { ["action"] = action, ["comment"] = comment };
        foreach (var (k, v) in extra ?? []) body[k] = v?.DeepClone();
        // Sent again after a Host died under it: 200 (the first call was lost) or 409 (it was carried out) both settle it.
        var answer = await Cluster.PostAsync(user, $"/api/tasks/{taskId}/actions", body);
        for (var retry = 0; answer.Status is 0 or >= 500 && retry < 20; retry++)
        {
            step.Attempts.Add(new Attempt(comment, action, answer.Status, answer.TransportFailures));
            answer = await Cluster.PostAsync(user, $"/api/tasks/{taskId}/actions", body);
        }
        step.Attempts.Add(new Attempt(comment, action, answer.Status, answer.TransportFailures));
        if (answer.Status == 409 && answer.TransportFailures == 0 && step.Attempts.Count == 1)
            throw new InvalidOperationException($"{action} at {activity}: 409 without a competitor: {answer.Body}");
        if (answer.Status is not (200 or 409)) throw new InvalidOperationException($"{action} at {activity}: {answer.Status} {answer.Body}");
        script.Expected.Add((activity, action));
    }

    /// <summary>Several callers act on the same task at the same moment, each through a different Host: exactly one wins.</summary>
    private async Task RaceAsync(Script script, string activity, string user, string[] actions, JsonObject? fields = null)
    {
        var taskId = await TaskIdAsync(script, activity);
        var step = new StepRecord(activity);
        script.Steps.Add(step);
        var calls = actions.Select((action, n) =>
        {
            var comment = Comment(script, activity);
            var host = _hosts[(script.Index + n) % _hosts.Count];
            return (action, comment, call: Cluster.PostAsync(user, $"/api/tasks/{taskId}/actions",
                new JsonObject { ["action"] = action, ["comment"] = comment, ["fields"] = fields?.DeepClone() }, host.IsRunning ? host : null));
        }).ToList();
        await Task.WhenAll(calls.Select(c => c.call));
        foreach (var (action, comment, call) in calls)
            step.Attempts.Add(new Attempt(comment, action, call.Result.Status, call.Result.TransportFailures));
        var winners = step.Attempts.Where(a => a.Status == 200).ToList();
        var unclear = step.Attempts.Where(a => a.Status is 0 or >= 500).ToList();
        if (winners.Count > 1) throw new InvalidOperationException($"race at {activity}: {winners.Count} callers got 200");
        var odd = step.Attempts.Where(a => a.Status is not (200 or 409 or 0) and < 500).ToList();
        if (odd.Count > 0) throw new InvalidOperationException($"race at {activity}: {string.Join(", ", odd.Select(a => a.Status))}");
        if (winners.Count == 1) script.Expected.Add((activity, winners[0].Action));
        else if (unclear.Count > 0) script.Expected.Add((activity, "?")); // decided by a call whose Host died: the journal tells
        else throw new InvalidOperationException($"race at {activity}: nobody won ({string.Join(", ", step.Attempts.Select(a => a.Status))})");
    }

    // ---- the faults --------------------------------------------------------------------------------------------------

    private async Task WaitForShareAsync(double share)
    {
        while (Volatile.Read(ref _done) < share * _plan.Instances) await Task.Delay(50);
    }

    /// <summary>Each fault starts when its share of the scripts is done, independently of the others (a restart takes a while).</summary>
    private async Task ChaosAsync()
    {
        var steps = new List<(double At, Func<Task> Do)>();
        if (_plan.KillAt is { } k) steps.Add((k, KillOneAsync));
        if (_plan.SmtpOutageAt is { } s) steps.Add((s, SmtpOutageAsync));
        if (_plan.TerminateAt is { } t) steps.Add((t, TerminateOneAsync));
        await Task.WhenAll(steps.Select(async step =>
        {
            await WaitForShareAsync(step.At);
            await step.Do();
        }));
    }

    private async Task KillOneAsync()
    {
        var victim = _hosts[_hosts.Count > 1 ? 1 : 0];
        var pid = victim.ProcessId;
        await victim.KillAsync();
        _sigkills++;
        Log($"SIGKILL {victim.Name} (pid {pid}) at {_done}/{_plan.Instances} scripts");
        await victim.StartAsync();
        Log($"{victim.Name} started again (pid {victim.ProcessId})");
    }

    private async Task SmtpOutageAsync()
    {
        int failedBefore;
        await using (var db = Db()) failedBefore = await db.Outbox.CountAsync(m => m.LastError != null);
        _smtp.Stop();
        _smtpOutages++;
        Log($"SMTP server stopped at {_done}/{_plan.Instances} scripts");
        // Down until a Host has noticed (a send failed and was recorded for a retry), not for a fixed time.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        int failed;
        do
        {
            await Task.Delay(200);
            await using var db = Db();
            failed = await db.Outbox.CountAsync(m => m.LastError != null);
        } while (failed == failedBefore && DateTime.UtcNow < deadline);
        await _smtp.StartAsync();
        Log($"SMTP server started again on port {_smtp.Port} ({failed - failedBefore} row(s) had a failed send meanwhile)");
    }

    private async Task TerminateOneAsync()
    {
        var victim = _hosts[_hosts.Count > 2 ? 2 : 0];
        var pid = victim.ProcessId;
        var watch = Stopwatch.StartNew();
        var code = await victim.TerminateAsync(TimeSpan.FromSeconds(90));
        _sigterms++;
        Log($"SIGTERM {victim.Name} (pid {pid}) at {_done}/{_plan.Instances} scripts: exit code {code} after {watch.Elapsed.TotalSeconds:0.0}s");
        if (code != 0) throw new InvalidOperationException($"{victim.Name} exited with {code} on SIGTERM:\n{victim.Output}");
        // A graceful stop hands back the mail its send jobs held (claims of other Hosts' pumps stay: their jobs are queued).
        await using (var db = Db())
        {
            var held = await db.Outbox.CountAsync(m => m.Status == OutboxStatus.Pending && m.LockedBy != null
                && m.LockedBy.StartsWith("job:") && m.LockedBy.Contains($":{pid}:"));
            if (held > 0) throw new InvalidOperationException($"{victim.Name} exited holding {held} outbox row(s)");
        }
        await victim.StartAsync();
        Log($"{victim.Name} started again (pid {victim.ProcessId})");
    }

    // ---- the checks --------------------------------------------------------------------------------------------------

    public sealed record Figures(int Instances, int Actions, int Timers, int Messages, int Received, int Repeated, int AllowedRepeats, TimeSpan Settle);

    /// <summary>Waits (polling, with deadlines) until the system has settled, then checks everything; returns the figures.</summary>
    public async Task<Figures> CheckAsync()
    {
        var failures = new List<string>();
        failures.AddRange(_scripts.Where(s => s.Error is not null).Select(s => $"{s.CorrelationId}: {s.Error}"));
        var settle = Stopwatch.StartNew();
        var ids = _scripts.Where(s => s.InstanceId is not null).Select(s => s.InstanceId!).ToList();

        // Everything due has happened: instances finished, no mail waiting, every sent Message-Id at the server.
        await UntilAsync("every instance finished", TimeSpan.FromMinutes(3), async db =>
            await db.Instances.CountAsync(i => ids.Contains(i.Id) && i.Status != "Finished") == 0);
        await UntilAsync("every outbox row sent", TimeSpan.FromMinutes(4), async db =>
            await db.Outbox.CountAsync(m => m.Status == OutboxStatus.Pending) == 0);
        List<OutboxMessage> outbox;
        await using (var db = Db()) outbox = await db.Outbox.AsNoTracking().ToListAsync();
        var expectedIds = outbox.Where(m => m.Status == OutboxStatus.Sent).Select(m => Bare(m.MessageId)).ToHashSet();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        List<string?> received;
        while (true)
        {
            received = _smtp.ReadMessages().Select(m => m.MessageId).ToList();
            if (expectedIds.IsSubsetOf(received.OfType<string>()) || DateTime.UtcNow > deadline) break;
            await Task.Delay(200);
        }
        settle.Stop();

        // ---- mail: at least once; a repeat only where a Host or the SMTP connection died with a message in flight.
        var failed = outbox.Where(m => m.Status != OutboxStatus.Sent).ToList();
        if (failed.Count > 0) failures.Add($"{failed.Count} outbox row(s) not Sent: {string.Join("; ", failed.Take(5).Select(m => $"{m.Status} {m.LastError}"))}");
        var counts = received.GroupBy(id => id ?? "(none)").ToDictionary(g => g.Key, g => g.Count());
        var missing = expectedIds.Where(id => !counts.ContainsKey(id)).ToList();
        if (missing.Count > 0) failures.Add($"{missing.Count} message(s) marked Sent never reached the SMTP server, e.g. {missing[0]}");
        var strangers = counts.Keys.Where(id => !expectedIds.Contains(id)).ToList();
        if (strangers.Count > 0) failures.Add($"{strangers.Count} message(s) at the SMTP server are not Sent rows of the outbox, e.g. {strangers[0]}");
        var repeated = counts.Values.Sum(c => c - 1);
        // At most two accepted-but-not-yet-marked messages per send job (README, delivery guarantees).
        var allowed = 2 * WorkerCount * (_sigkills + _sigterms + _smtpOutages);
        if (repeated > allowed)
            failures.Add($"{repeated} repeated message(s); the guarantee allows at most {allowed} (2 messages × {WorkerCount} send jobs per Host × {_sigkills + _sigterms + _smtpOutages} failure(s))");
        if (outbox.Any(m => m.LockedBy != null)) failures.Add("outbox rows still claimed after everything was sent");

        // ---- instances, tasks, journal, timers
        await using (var db = Db())
        {
            var instances = await db.Instances.AsNoTracking().Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id);
            var tasks = (await db.Tasks.AsNoTracking().Where(t => ids.Contains(t.InstanceId)).ToListAsync()).ToLookup(t => t.InstanceId);
            var journal = (await db.Journal.AsNoTracking().Where(j => ids.Contains(j.InstanceId)).ToListAsync()).ToLookup(j => j.InstanceId);
            var bookmarks = (await db.Bookmarks.AsNoTracking().Where(b => ids.Contains(b.InstanceId)).ToListAsync()).ToLookup(b => b.InstanceId);
            var timers = (await db.Timers.AsNoTracking().Where(t => ids.Contains(t.InstanceId)).ToListAsync()).ToLookup(t => t.InstanceId);
            var started = await db.Instances.CountAsync(i => i.DefinitionId == ScenarioFlows.Approval || i.DefinitionId == ScenarioFlows.Timer || i.DefinitionId == ScenarioFlows.Objection);
            if (started != _plan.Instances) failures.Add($"{started} instances of the harness' definitions exist, {_plan.Instances} were started");

            foreach (var script in _scripts.Where(s => s.InstanceId is not null))
            {
                var id = script.InstanceId!;
                void Fail(string what) => failures.Add($"{script.CorrelationId} ({script.Kind}, {id}): {what}");
                var instance = instances[id];
                if (instance.Status != "Finished" || instance.SubStatus != "Finished") Fail($"{instance.Status}/{instance.SubStatus}, expected Finished/Finished");
                if (bookmarks[id].Any()) Fail($"{bookmarks[id].Count()} bookmark(s) left");
                if (tasks[id].Any(t => t.Status == "Pending")) Fail("a pending task left");
                if (timers[id].Any(t => t.Status == TimerStatus.Pending)) Fail("a pending timer left");

                var entries = journal[id].ToList();
                if (entries.Count(j => j.Event == "WorkflowFinished") != 1) Fail($"WorkflowFinished journaled {entries.Count(j => j.Event == "WorkflowFinished")} times");
                var actions = entries.Where(j => j.Event == "TaskAction").ToList();
                // Every step settled by exactly one of its calls, journaled exactly once; losers not at all.
                foreach (var step in script.Steps)
                {
                    var hits = step.Attempts.Select(a => a.Comment).Distinct().Select(c => (Comment: c, Count: actions.Count(j => j.Summary?.Contains(c) == true))).ToList();
                    if (hits.Sum(h => h.Count) != 1) Fail($"step {step.Activity}: journaled {hits.Sum(h => h.Count)} times ({string.Join(", ", step.Attempts.Select(a => a.Status))})");
                    foreach (var a in step.Attempts.Where(a => a.Status == 200 && a.TransportFailures == 0))
                        if (hits.Single(h => h.Comment == a.Comment).Count != 1) Fail($"step {step.Activity}: the 200 call is not in the journal");
                }
                if (actions.Count != script.Steps.Count) Fail($"{actions.Count} TaskAction entries for {script.Steps.Count} steps");

                var done = tasks[id].Where(t => t.Kind == HumanTask.KindApproval && t.Status == "Done").OrderBy(t => t.CompletedAt).Select(t => (t.ActivityId, t.Action ?? "")).ToList();
                var expected = script.Expected.Select((e, n) => e.Action == "?" && n < done.Count ? (Activity: e.Activity, Action: done[n].Item2) : e).ToList();
                if (!done.SequenceEqual(expected))
                    Fail($"tasks done {string.Join(" ", done.Select(d => $"{d.ActivityId}:{d.Item2}"))}, script expects {string.Join(" ", expected.Select(d => $"{d.Activity}:{d.Action}"))}");

                if (script.Kind == Kind.Timer)
                {
                    var timer = timers[id].ToList();
                    if (timer.Count != 1 || timer[0].Status != TimerStatus.Fired || timer[0].FiredAt is null)
                        Fail($"timers: {string.Join(", ", timer.Select(t => $"{t.Status} fired {t.FiredAt:O}"))}, expected one Fired");
                    var resumed = entries.Count(j => j.Event == "BookmarkResumed" && j.ActivityId == "delay");
                    if (resumed != 1) Fail($"the delay was resumed {resumed} times");
                }
                if (script.Kind == Kind.Objection)
                {
                    // The window-end timer fired once (its due time was moved to now, see EndWindowAsync).
                    var timer = timers[id].ToList();
                    if (timer.Count != 1 || timer[0].Status != TimerStatus.Fired || timer[0].FiredAt is null)
                        Fail($"timers: {string.Join(", ", timer.Select(t => $"{t.Status} fired {t.FiredAt:O}"))}, expected the window end Fired");
                    var filed = entries.Count(j => j.Event == "ObjectionFiled" && j.Summary?.Contains(script.Facts!) == true);
                    if (filed != 1 || entries.Count(j => j.Event == "ObjectionFiled") != 1) Fail($"the objection was filed {filed} times");
                    var upheld = entries.Count(j => j.Event == "NomineeWithdrawn");
                    var dismissed = entries.Count(j => j.Event == "ObjectionDismissed");
                    var decided = done.Select(d => d.Item2).FirstOrDefault();
                    if (upheld + dismissed != 1 || (decided == "approve" ? upheld : dismissed) != 1)
                        Fail($"objection decided {decided}: {upheld} upheld, {dismissed} dismissed in the journal");
                    if (entries.Count(j => j.Event == "PublicityWindowClosed") != 1) Fail("the window closed not exactly once");
                    // The objector is a user: told by a notification, which mails them.
                    var told = outbox.Count(m => m.InstanceId == id && m.Subject.Contains("异议处理结果") && m.To == Teacher);
                    if (told != 1) Fail($"{told} result mail(s) to the objector, expected 1");
                }
            }
            var timerCount = _scripts.Count(s => s.Kind is Kind.Timer or Kind.Objection);
            var figures = new Figures(_scripts.Count, _scripts.Sum(s => s.Steps.Count), timerCount, outbox.Count, received.Count, repeated, allowed, settle.Elapsed);
            Log($"figures: {figures}");
            if (failures.Count > 0)
                Assert.Fail($"{failures.Count} problem(s):\n{string.Join("\n", failures.Take(40))}\n\nEvents:\n{string.Join("\n", _events)}\n\n{HostOutputs()}");
            return figures;
        }
    }

    private string HostOutputs() => string.Join("\n", _hosts.Select(h => $"==== {h.Name} ====\n{Tail(h.Output, 6000)}"));

    private static string Tail(string s, int n) => s.Length <= n ? s : s[^n..];

    private static string Bare(string messageId) => messageId.Trim().TrimStart('<').TrimEnd('>');

    private async Task UntilAsync(string what, TimeSpan timeout, Func<WorkflowsDbContext, Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await using (var db = Db())
                if (await condition(db)) { Log($"settled: {what}"); return; }
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Gave up waiting for: {what} ({timeout.TotalSeconds}s)\n\nEvents:\n{string.Join("\n", _events)}\n\n{HostOutputs()}");
            await Task.Delay(250);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _cluster?.Dispose();
        foreach (var host in _hosts) await host.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
