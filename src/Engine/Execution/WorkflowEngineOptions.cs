namespace Workflows.Engine.Execution;

public sealed class WorkflowEngineOptions
{
    /// <summary>Activity executions allowed in one run before the instance is faulted (a loop that never waits).</summary>
    public int MaxStepsPerRun { get; set; } = 100_000;

    public ScriptLimits Scripts { get; set; } = new();

    /// <summary>Where WriteLine writes, besides the run result; null writes nowhere.</summary>
    public TextWriter? Console { get; set; }

    /// <summary>Keep WriteLine lines in <see cref="RunResult.WriteLines"/> (off for benchmarks).</summary>
    public bool CaptureWriteLines { get; set; } = true;

    /// <summary>Keep the fine-grained execution log in <see cref="RunResult.Log"/>.</summary>
    public bool CaptureExecutionLog { get; set; } = true;
}

/// <summary>Limits that stop a runaway script; breaking one faults the instance with an incident.</summary>
public sealed class ScriptLimits
{
    public int MaxStatements { get; set; } = 100_000;
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);
    public long MaxMemoryBytes { get; set; } = 16 * 1024 * 1024;
    public int MaxRecursion { get; set; } = 128;
}
