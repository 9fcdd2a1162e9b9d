namespace Workflows.Persistence.Entities;

/// <summary>A role held within a scope: Principal of a school, Lead of a federation, BureauPersonnel of the county…</summary>
public class RoleAssignment
{
    public long Id { get; set; }
    public string UserId { get; set; } = "";
    public string Role { get; set; } = "";
    /// <summary>The OrgUnit the role applies to (a school, a federation or the county).</summary>
    public string ScopeId { get; set; } = "";
}
