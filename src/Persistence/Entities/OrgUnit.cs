namespace Workflows.Persistence.Entities;

/// <summary>
/// A place in the county's organisation: the bureau (County), a federation (教联体) or a school/campus.
/// Federations hang under the county, schools under their federation; one school per federation is its core school.
/// </summary>
public class OrgUnit
{
    public const string KindCounty = "County";
    public const string KindFederation = "Federation";
    public const string KindSchool = "School";

    public string Id { get; set; } = "";
    public string Kind { get; set; } = KindSchool;
    public string Name { get; set; } = "";
    public string? ParentId { get; set; }
    /// <summary>True for the federation's core school (核心校).</summary>
    public bool IsCore { get; set; }
    public string? Code { get; set; }
}
