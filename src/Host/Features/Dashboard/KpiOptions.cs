namespace Workflows.Host.Features.Dashboard;

/// <summary>The "Dashboard" section of appsettings.json: targets and the local eligibility rule.</summary>
public sealed class KpiOptions
{
    public const string Section = "Dashboard";

    /// <summary>Years at the current school that make a teacher eligible for rotation (符合交流条件; local rule).</summary>
    public int EligibleYears { get; set; } = 6;

    /// <summary>Share of eligible teachers who rotate each year (≥ 10%).</summary>
    public double RotationTarget { get; set; } = 0.10;

    /// <summary>Share of backbone teachers among those rotating (≥ 20%).</summary>
    public double BackboneTarget { get; set; } = 0.20;

    /// <summary>Training attendance (全员参与: every planned day attended).</summary>
    public double AttendanceTarget { get; set; } = 1.0;

    /// <summary>Training hours (学时) per enrolled teacher.</summary>
    public double HoursTarget { get; set; } = 24;

    /// <summary><c>customProperties.kpi</c> of rotation definitions.</summary>
    public const string KindRotation = "rotation";

    /// <summary><c>customProperties.kpi</c> of training definitions.</summary>
    public const string KindTraining = "training";
}
