namespace Workflows.Persistence.Entities;

/// <summary>A point where an instance waits for a stimulus (signal, timer, user task…).</summary>
public class BookmarkRecord
{
    public string Id { get; set; } = "";
    public string InstanceId { get; set; } = "";
    public string ActivityId { get; set; } = "";
    public string ActivityInstanceId { get; set; } = "";
    public string Kind { get; set; } = "";
    /// <summary>What resumes the bookmark (e.g. a signal name); looked up together with <see cref="Kind"/>.</summary>
    public string? Stimulus { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public string? PayloadJson { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
