namespace Workflows.Engine.Execution;

/// <summary>A fault recorded on an instance: which activity, what went wrong, when.</summary>
public sealed record Incident(string ActivityId, string ActivityType, string Message, DateTimeOffset At, string? ActivityRecordId = null);
