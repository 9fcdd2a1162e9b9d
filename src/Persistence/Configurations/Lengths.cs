namespace Workflows.Persistence.Configurations;

/// <summary>Column lengths shared by several tables, so foreign keys and their targets agree.</summary>
internal static class Lengths
{
    public const int Id = 64;
    public const int DefinitionId = 100;
    public const int Name = 200;
    public const int Status = 20;
    public const int ActivityId = 100;
}
