using Workflows.Engine.Execution;
using Workflows.Persistence;

namespace Workflows.Host.Runtime;

/// <summary>
/// Turns what a run produced into rows of a feature (tasks, notifications), inside the run's transaction.
/// <see cref="BeforeSave"/> adds rows; <see cref="AfterSaveAsync"/> updates existing ones once the instance row
/// has won its concurrency check.
/// </summary>
public interface IRunProjector
{
    void BeforeSave(WorkflowsDbContext db, RunResult result, RunContext context);

    Task AfterSaveAsync(WorkflowsDbContext db, RunResult result, RunContext context, CancellationToken ct);
}

/// <summary>Why a run happened: who asked, which timer fired, which task was acted on.</summary>
public sealed record RunContext(Actor Actor, string? FiredBookmarkId = null, TaskActionInfo? TaskAction = null);

/// <summary>A person's action on a task (the bookmark it resumed).</summary>
public sealed record TaskActionInfo(string TaskId, string UserId, string Action, string? Comment);
