namespace Workflows.Activities;

/// <summary>
/// Kinds of the <see cref="Workflows.Engine.Execution.OutgoingMessage"/>s these activities send; the host turns
/// them into notifications, emails and CC entries (see docs/approvals.md).
/// </summary>
public static class MessageKinds
{
    /// <summary>A reminder for pending approval tasks: {"userIds", "stepName", "dueAt", "overdue"}.</summary>
    public const string TaskReminder = "task-reminder";

    /// <summary>People copied on a step (抄送): {"userIds", "stepName"}.</summary>
    public const string Cc = "cc";

    /// <summary>A notification: {"userIds", "subject", "body", "template", "model"}.</summary>
    public const string Notify = "notify";

    /// <summary>
    /// An email to an address that is not a user (e.g. an anonymous objector of a 公示): {"to", "subject", "text", "html"?}.
    /// The host writes it to its outbox as it is.
    /// </summary>
    public const string Email = "email";
}
