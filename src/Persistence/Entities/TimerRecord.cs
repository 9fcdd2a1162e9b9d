namespace Workflows.Persistence.Entities;

/// <summary>A durable timer that resumes <see cref="BookmarkId"/> when due.</summary>
public class TimerRecord
{
    public string Id { get; set; } = "";
    public string InstanceId { get; set; } = "";
    /// <summary>Not a foreign key: SQL Server rejects the second cascade path (instance → bookmark → timer).</summary>
    public string BookmarkId { get; set; } = "";
    public DateTimeOffset DueAt { get; set; }
    public TimerStatus Status { get; set; } = TimerStatus.Pending;
    public DateTimeOffset? FiredAt { get; set; }
    public int Attempts { get; set; }
    /// <summary>Id of the job in the external scheduler (Hangfire), when one is used.</summary>
    public string? ScheduledJobId { get; set; }
}
