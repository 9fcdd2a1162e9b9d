namespace Workflows.Persistence.Entities;

/// <summary>Audit trail of an instance. Append-only: code inserts rows and never updates them.</summary>
public class JournalEntry
{
    public long Id { get; set; }
    public string InstanceId { get; set; } = "";
    public string? ActivityId { get; set; }
    public string Event { get; set; } = "";
    public string? Actor { get; set; }
    public DateTimeOffset At { get; set; }
    public string? Summary { get; set; }
    public string? DataJson { get; set; }
    public string? RemoteAddress { get; set; }
    public string? Client { get; set; }
}
