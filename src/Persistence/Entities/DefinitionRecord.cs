namespace Workflows.Persistence.Entities;

/// <summary>One stored version of a workflow definition.</summary>
public class DefinitionRecord
{
    public const string SourceFile = "file";
    public const string SourceApi = "api";

    public long Id { get; set; }
    public string DefinitionId { get; set; } = "";
    public int Version { get; set; }
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public string Json { get; set; } = "";
    /// <summary>Hex SHA-256 of <see cref="Json"/>, so an unchanged file is not stored again.</summary>
    public string ContentHash { get; set; } = "";
    public bool IsPublished { get; set; }
    public bool IsLatest { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary><see cref="SourceFile"/> or <see cref="SourceApi"/>.</summary>
    public string Source { get; set; } = SourceApi;
}
