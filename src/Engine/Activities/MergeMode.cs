namespace Workflows.Engine.Activities;

/// <summary>Elsa 3's merge modes for an activity with several inbound connections (see docs/semantics.md).</summary>
public enum MergeMode { Stream, Merge, Converge, Cascade, Race }

public static class MergeModes
{
    public static MergeMode Parse(string? value) => value switch
    {
        "Merge" => MergeMode.Merge,
        "Converge" => MergeMode.Converge,
        "Cascade" => MergeMode.Cascade,
        "Race" => MergeMode.Race,
        _ => MergeMode.Stream, // "None", "Stream" and missing all mean the default
    };
}
