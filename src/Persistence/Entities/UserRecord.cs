namespace Workflows.Persistence.Entities;

/// <summary>A person from the roster: a teacher, a principal, bureau staff. Sign-in is by email.</summary>
public class UserRecord
{
    public string Id { get; set; } = "";
    public string Email { get; set; } = "";
    public string Name { get; set; } = "";
    public string? EmployeeNo { get; set; }
    public string? Phone { get; set; }
    /// <summary>The school (OrgUnit) the person belongs to; null for bureau staff.</summary>
    public string? SchoolId { get; set; }
    public string? Subject { get; set; }
    public string? Title { get; set; }
    /// <summary>骨干教师: a recognised title that counts for the rotation KPI.</summary>
    public bool IsBackbone { get; set; }
    /// <summary>When the person joined the current school (eligibility for rotation).</summary>
    public DateOnly? JoinedSchoolOn { get; set; }
    public int? BirthYear { get; set; }
    public string Status { get; set; } = "Active";
    /// <summary>Null for teachers who sign in with emailed one-time links only.</summary>
    public string? PasswordHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
