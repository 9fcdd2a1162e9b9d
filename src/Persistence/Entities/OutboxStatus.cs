namespace Workflows.Persistence.Entities;

/// <summary>Stored as its name, so the column stays readable.</summary>
public enum OutboxStatus
{
    Pending,
    Sending,
    Sent,
    Failed,
}
