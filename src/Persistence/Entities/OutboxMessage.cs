namespace Workflows.Persistence.Entities;

/// <summary>
/// An outgoing message written in the same transaction as the state change that caused it,
/// then delivered by a background sender (transactional outbox).
/// </summary>
public class OutboxMessage
{
    public const string KindEmail = "email";

    public Guid Id { get; set; }
    public string? InstanceId { get; set; }
    public string Kind { get; set; } = KindEmail;
    /// <summary>RFC 5322 Message-Id; unique so a retried send can be recognised as a duplicate.</summary>
    public string MessageId { get; set; } = "";
    public string To { get; set; } = "";
    public string Subject { get; set; } = "";
    public string BodyText { get; set; } = "";
    public string? BodyHtml { get; set; }
    public OutboxStatus Status { get; set; } = OutboxStatus.Pending;
    public int Attempts { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    /// <summary>Host that claimed the row; with <see cref="LockedUntil"/> lets several hosts share the outbox.</summary>
    public string? LockedBy { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
}
