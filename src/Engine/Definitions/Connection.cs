namespace Workflows.Engine.Definitions;

/// <summary>A flowchart edge: the outcome <see cref="SourcePort"/> of one activity leads into another.</summary>
public sealed record Connection(string SourceId, string SourcePort, string TargetId, string TargetPort)
{
    public override string ToString() => $"{SourceId}:{SourcePort} -> {TargetId}";
}
