namespace Workflows.Persistence.Entities;

/// <summary>An in-app notification; it mirrors the email so the inbox works even without mail.</summary>
public class NotificationRecord
{
    public Guid Id { get; set; }
    public string UserId { get; set; } = "";
    public string Title { get; set; } = "";
    public string Body { get; set; } = "";
    public string? Link { get; set; }
    public string? InstanceId { get; set; }
    public string? TaskId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }
}
