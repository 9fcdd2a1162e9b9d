using Workflows.Engine.Execution;

namespace Workflows.Host.Runtime;

/// <summary>What a runtime call did: the committed state and the run that produced it.</summary>
public sealed record RunOutcome(string InstanceId, RunResult Result)
{
    public WorkflowState State => Result.State;
}

/// <summary>Who asked, for the journal.</summary>
/// <remarks><see cref="UserId"/> is the signed-in user, when a person asked; it becomes the initiator of an instance they start.</remarks>
public sealed record Actor(string? Name, string? RemoteAddress = null, string? Client = null, string? UserId = null)
{
    public static readonly Actor System = new("system");
}
