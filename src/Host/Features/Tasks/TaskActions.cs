namespace Workflows.Host.Features.Tasks;

/// <summary>What a person can do with a task (POST /api/tasks/{id}/actions).</summary>
public static class TaskActions
{
    public const string Approve = "approve";
    public const string Reject = "reject";
    public const string Return = "return";
    public const string Transfer = "transfer";
    public const string Delegate = "delegate";
    public const string AddSigner = "addSigner";
    public const string Comment = "comment";

    /// <summary>Actions the engine's approval activity carries out (they resume the task's bookmark).</summary>
    public static readonly string[] Engine = [Approve, Reject, Return, Transfer, Delegate, AddSigner];

    public static readonly string[] All = [.. Engine, Comment];

    /// <summary>Actions that need other people named in "users".</summary>
    public static bool NeedsUsers(string action) => action is Transfer or Delegate or AddSigner;
}
