using System.Diagnostics;
using Workflows.Engine.Activities;
using Workflows.Engine.Definitions;
using Workflows.Engine.Execution;
using Workflows.Engine.Validation;

namespace Workflows.Bench;

/// <summary>
/// The engine alone, in memory: runs of a definition read from bench/workflows/, with nothing captured
/// (WriteLine to TextWriter.Null, CaptureWriteLines and CaptureExecutionLog off). These are the figures to hold
/// against Elsa 3 running the same JSON files.
/// </summary>
internal static class EngineScenario
{
    public static List<EngineResult> Run(BenchOptions options)
    {
        var registry = ActivityRegistry.CreateDefault();
        var engine = new WorkflowEngine(registry, new WorkflowEngineOptions
        {
            Console = TextWriter.Null,
            CaptureWriteLines = false,
            CaptureExecutionLog = false,
        }, TimeProvider.System);

        var results = new List<EngineResult>
        {
            Measure(engine, registry, "writeline-100.json", "Start → 100 × WriteLine → End", options, state =>
                state.CompletedCounts.Count(c => c.Key.StartsWith('w') && c.Value == 1) == 100),
            Measure(engine, registry, "js-loop-100.json", "100-iteration JavaScript loop (SetVariable → FlowDecision ↺)", options, state =>
                state.Variables.TryGetValue("Counter", out var v) && v is not null && v.GetValue<long>() == 100
                && state.CompletedCounts.GetValueOrDefault("increment") == 100 && state.CompletedCounts.GetValueOrDefault("done") == 100),
        };
        return results;
    }

    private static EngineResult Measure(WorkflowEngine engine, ActivityRegistry registry, string file, string label, BenchOptions options,
        Func<WorkflowState, bool> expected)
    {
        var json = File.ReadAllText(BenchFiles.Path(file));
        var report = DefinitionValidator.Validate(json, registry);
        if (!report.Succeeded) throw new InvalidOperationException($"{file} is not valid: {string.Join("; ", report.Errors)}");
        var definition = DefinitionReader.Parse(json);

        // One checked run: the flow does what its name says.
        var check = RunOnce(engine, definition, out _);
        if (check.SubStatus != WorkflowSubStatus.Finished || !expected(check.State))
            throw new InvalidOperationException($"{file}: the run ended {check.SubStatus} without doing what the benchmark expects.");
        var activitiesPerRun = check.Steps;

        Console.WriteLine($"## engine: {file}");
        RunFor(engine, definition, options.EngineWarmUp, out _, out _, out _);
        RunFor(engine, definition, options.EngineMeasure, out var runs, out var elapsed, out var asyncRuns);

        // Allocations: a separate pass without any timing around each run; every run completes synchronously, so
        // everything it allocates is allocated on this thread.
        var allocationRuns = Math.Max(100, runs / 4);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < allocationRuns; i++) RunOnce(engine, definition, out _);
        var bytesPerRun = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)allocationRuns;

        var result = new EngineResult
        {
            Workflow = file,
            Description = label,
            ActivitiesPerRun = activitiesPerRun,
            Runs = runs,
            RunsPerSecond = Math.Round(runs / elapsed.TotalSeconds, 1),
            ActivitiesPerSecond = Math.Round(runs * (double)activitiesPerRun / elapsed.TotalSeconds, 0),
            MicrosecondsPerRun = Math.Round(elapsed.TotalMicroseconds / runs, 2),
            BytesAllocatedPerRun = Math.Round(bytesPerRun, 0),
            Notes = asyncRuns > 0 ? $"{asyncRuns} runs did not complete synchronously: their allocations on other threads are not counted" : null,
        };
        Console.WriteLine($"   {result.RunsPerSecond,10:F1} runs/s  {result.ActivitiesPerSecond,12:N0} activities/s  {result.BytesAllocatedPerRun,12:N0} B/run");
        return result;
    }

    private static void RunFor(WorkflowEngine engine, WorkflowDefinition definition, TimeSpan duration, out int runs, out TimeSpan elapsed,
        out int asyncRuns)
    {
        runs = 0;
        asyncRuns = 0;
        var start = Stopwatch.GetTimestamp();
        do
        {
            // Batches keep the clock out of the loop.
            for (var i = 0; i < 20; i++)
            {
                RunOnce(engine, definition, out var wasAsync);
                if (wasAsync) asyncRuns++;
            }
            runs += 20;
            elapsed = Stopwatch.GetElapsedTime(start);
        } while (elapsed < duration);
    }

    private static RunResult RunOnce(WorkflowEngine engine, WorkflowDefinition definition, out bool wasAsync)
    {
        var pending = engine.StartAsync(definition);
        wasAsync = !pending.IsCompleted;
        return pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }
}
