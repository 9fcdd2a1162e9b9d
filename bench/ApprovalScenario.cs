using System.Diagnostics;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Host.Definitions;
using Workflows.Host.Features.Tasks;
using Workflows.Host.Runtime;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Bench;

/// <summary>
/// Approval instances per second: <c>workflows/approval-3.json</c> (Start → three Workflows.Approval steps → End) started
/// by an applicant, then each step approved by its assignee through <see cref="TasksApi.ActOnTaskAsync"/>, the code path
/// of POST /api/tasks/{id}/actions (and of the one-click email links): the task checks, the step's own checks on the
/// current state, then <see cref="WorkflowRuntime.ResumeAsync"/> with the task action, in the request's scoped context.
/// Before each action the assignee's inbox is read (their pending tasks), as a person opens the inbox to find the task.
/// Interleaved in rounds with the raw transactions of the same database, like the database scenario.
/// </summary>
internal static class ApprovalScenario
{
    public const string DefinitionId = "bench-approval-3";
    public const int Steps = 3;

    public static async Task<ApprovalResult> RunOneAsync(string database, string connectionString, string contentRoot, int concurrency, BenchOptions options)
    {
        var n = options.ApprovalInstances;
        var warmUp = Math.Min(options.Quick ? 10 : 30, n);
        Console.WriteLine($"## Approvals: {database}, concurrency {concurrency}, N = {n} instances ({Steps} approval steps each)");
        ApprovalScenarioFiles.CopyTemplates(contentRoot);
        await using var services = DatabaseScenario.BuildServices(database, connectionString, contentRoot);
        await DatabaseScenario.MigrateAsync(services);
        var json = await File.ReadAllTextAsync(BenchFiles.Path("approval-3.json"));
        var imported = await services.GetRequiredService<DefinitionStore>().ImportAsync(json, publish: true, DefinitionRecord.SourceFile);
        if (imported.Record is null)
            throw new InvalidOperationException("approval-3.json was refused: " + string.Join("; ", imported.Report.Errors));

        // People: one applicant, and three approvers of their own per instance (so every inbox holds exactly the task at hand).
        var total = n + warmUp;
        await SeedUsersAsync(services, total);
        var runtime = services.GetRequiredService<WorkflowRuntime>();
        var raw = new RawTransactions(database, services.GetRequiredService<Workflows.Persistence.DatabaseOptions>().ConnectionString);
        await raw.CreateTablesAsync(total);

        for (var i = 0; i < warmUp; i++)
        {
            await RunInstanceAsync(services, runtime, n + i);
            await raw.RunOneAsync(n + i + 1);
        }

        var rounds = options.Rounds;
        TimeSpan rawElapsed = default, approvalElapsed = default;
        var latencies = new double[n];
        for (var round = 0; round < rounds; round++)
        {
            var (from, count) = (round * n / rounds, (round + 1) * n / rounds - round * n / rounds);
            rawElapsed += await DatabaseScenario.Partitioned(count, concurrency, i => raw.RunOneAsync(from + i + 1));
            approvalElapsed += await DatabaseScenario.Partitioned(count, concurrency, async i =>
            {
                var t0 = Stopwatch.GetTimestamp();
                await RunInstanceAsync(services, runtime, from + i);
                latencies[from + i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            });
        }
        var rawRate = n / rawElapsed.TotalSeconds;
        var rate = n / approvalElapsed.TotalSeconds;
        Array.Sort(latencies);
        var verified = await VerifyAsync(services, total) && await raw.VerifyAsync(n + warmUp);

        string? commands = null;
        if (options.Profile && concurrency == 1)
        {
            // SQL commands of whole instances, serially (on users seeded for them beyond the measured ones).
            const int profiled = 10;
            await SeedUsersAsync(services, total + profiled, from: total);
            using var counter = new Profiler.EfEventCounter();
            await Task.Delay(TimeSpan.FromSeconds(1.5)); // EF notices a new listener on pooled contexts only after a moment
            counter.Reset();
            for (var i = 0; i < profiled; i++) await RunInstanceAsync(services, runtime, total + i);
            commands = $"{counter.Commands / (double)profiled:F1} SQL commands and {counter.Transactions / (double)profiled:F1} transactions per instance (" +
                string.Join(", ", counter.ByKind.OrderByDescending(k => k.Value).Select(k => $"{k.Key} {k.Value / (double)profiled:F1}")) + ")";
            Console.WriteLine($"   profile: {commands}");
        }
        var result = new ApprovalResult
        {
            Database = database,
            Concurrency = concurrency,
            Instances = n,
            InstancesPerSecond = Math.Round(rate, 1),
            ActionsPerSecond = Math.Round(rate * Steps, 1),
            InstanceP50Ms = Math.Round(DatabaseScenario.Percentile(latencies, 0.50), 3),
            InstanceP99Ms = Math.Round(DatabaseScenario.Percentile(latencies, 0.99), 3),
            RawTxPerSecond = Math.Round(rawRate, 1),
            Ratio = Math.Round(rate / rawRate, 3),
            TransactionRatio = Math.Round(rate * (Steps + 1) / rawRate, 3),
            LoadAverage = MachineInfo.LoadAverage(),
            Verified = verified,
            SqlPerInstance = commands,
        };
        Console.WriteLine($"   raw tx     {rawRate,10:F1}/s");
        Console.WriteLine($"   instances  {rate,10:F1}/s  ({rate * Steps:F1} approvals/s)  p50 {result.InstanceP50Ms:F2} ms  p99 {result.InstanceP99Ms:F2} ms per instance");
        Console.WriteLine($"   ratio      {result.Ratio,10:P1} of the raw transaction rate; {result.TransactionRatio:P1} counting the 4 runtime transactions of an instance   (load average {result.LoadAverage})");
        if (!verified) Console.WriteLine("   VERIFICATION FAILED: not every instance finished with its three tasks done, or the raw transactions did not all commit.");
        return result;
    }

    /// <summary>One instance: the applicant starts it, then each approver finds the task in their inbox and approves it.</summary>
    private static async Task RunInstanceAsync(IServiceProvider services, WorkflowRuntime runtime, int index)
    {
        var input = new JsonObject
        {
            ["title"] = $"调课申请 {index}",
            ["assignees"] = new JsonObject
            {
                ["s1"] = new JsonArray(Approver(index, 1)), ["s2"] = new JsonArray(Approver(index, 2)), ["s3"] = new JsonArray(Approver(index, 3)),
            },
        };
        var applicant = new Actor("申请人", "127.0.0.1", "bench", ApplicantId);
        var started = await runtime.StartAsync(DefinitionId, null, input, null, applicant);
        if (started.State.Status != Workflows.Engine.Execution.WorkflowStatus.Running || started.State.Incidents.Count > 0)
            throw new InvalidOperationException($"Instance {started.InstanceId} is {started.State.Status}/{started.State.SubStatus} after its start: " +
                string.Join("; ", started.State.Incidents.Select(i => i.Message)));
        for (var step = 1; step <= Steps; step++)
        {
            var me = Approver(index, step);
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<WorkflowsDbContext>();
            // The inbox: GET /api/tasks?status=pending reads the user's pending tasks.
            var taskId = await db.Tasks.AsNoTracking().Where(t => t.AssigneeId == me && t.Status == "Pending").Select(t => t.Id).SingleAsync();
            var http = new DefaultHttpContext
            {
                User = new ClaimsPrincipal(new ClaimsIdentity(
                    [new Claim(ClaimTypes.NameIdentifier, me), new Claim(ClaimTypes.Name, $"审批人 {index}-{step}")], "bench")),
                RequestServices = scope.ServiceProvider,
            };
            http.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;
            http.Request.Headers.UserAgent = "bench";
            var body = new JsonObject { ["action"] = TaskActions.Approve, ["comment"] = "同意" };
            var result = await TasksApi.ActOnTaskAsync(taskId, me, TaskActions.Approve, body, http, db, runtime,
                scope.ServiceProvider.GetRequiredService<DefinitionStore>(), CancellationToken.None);
            if (result is not IStatusCodeHttpResult { StatusCode: 200 })
                throw new InvalidOperationException($"Approving task {taskId} of instance {started.InstanceId} answered {(result as IStatusCodeHttpResult)?.StatusCode}: {result}");
        }
    }

    private const string ApplicantId = "bench-applicant";
    private static string Approver(int index, int step) => $"bench-approver-{index}-{step}";

    private static async Task SeedUsersAsync(IServiceProvider services, int instances, int from = 0)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<WorkflowsDbContext>>().CreateDbContextAsync();
        var now = DateTimeOffset.UtcNow;
        if (from == 0) db.Users.Add(new UserRecord { Id = ApplicantId, Email = "applicant@bench.local", Name = "申请人", CreatedAt = now });
        for (var i = from; i < instances; i++)
            for (var step = 1; step <= Steps; step++)
                db.Users.Add(new UserRecord { Id = Approver(i, step), Email = $"approver-{i}-{step}@bench.local", Name = $"审批人 {i}-{step}", CreatedAt = now });
        await db.SaveChangesAsync();
    }

    /// <summary>Every instance Finished, every approval task Done by an approve action, no pending task or bookmark left.</summary>
    private static async Task<bool> VerifyAsync(IServiceProvider services, int expected)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<WorkflowsDbContext>>().CreateDbContextAsync();
        var finished = await db.Instances.CountAsync(i => i.DefinitionId == DefinitionId && i.Status == "Finished" && i.SubStatus == "Finished");
        var done = await db.Tasks.CountAsync(t => t.Kind == HumanTask.KindApproval && t.Status == "Done" && t.Action == TaskActions.Approve);
        var pending = await db.Tasks.CountAsync(t => t.Status == "Pending");
        var bookmarks = await db.Bookmarks.CountAsync();
        var emails = await db.Outbox.CountAsync();
        var ok = finished == expected && done == expected * Steps && pending == 0 && bookmarks == 0;
        if (!ok) Console.WriteLine($"   verify: finished {finished}/{expected}, tasks done {done}/{expected * Steps}, pending {pending}, bookmarks {bookmarks}");
        else Console.WriteLine($"   verified: {finished} instances finished, {done} tasks approved, {emails} notification emails queued in the outbox");
        return ok;
    }
}

internal sealed class ApprovalResult
{
    public required string Database { get; init; }
    public int Concurrency { get; init; }
    public int Instances { get; init; }
    /// <summary>Whole instances (start + three approvals) per second.</summary>
    public double InstancesPerSecond { get; init; }
    public double ActionsPerSecond { get; init; }
    /// <summary>Wall time of one whole instance (start, three inbox reads and approvals).</summary>
    public double InstanceP50Ms { get; init; }
    public double InstanceP99Ms { get; init; }
    public double RawTxPerSecond { get; init; }
    /// <summary>instances/s ÷ raw tx/s.</summary>
    public double Ratio { get; init; }
    /// <summary>4 × instances/s ÷ raw tx/s: an instance is four runtime transactions (the start and three resumes).</summary>
    public double TransactionRatio { get; init; }
    public string? LoadAverage { get; init; }
    public bool Verified { get; init; }
    /// <summary>--profile, concurrency 1: SQL commands per instance, by kind.</summary>
    public string? SqlPerInstance { get; init; }
}
