namespace Workflows.Host.Features.Dashboard;

/// <summary>
/// The bureau's numbers: KPI cards against their targets, rows per federation and school, overdue tasks and where
/// running instances stand. The dashboard page and its Excel export read only this, so a later KPI model replaces
/// the implementation, not the page.
/// </summary>
public interface IKpiService
{
    Task<DashboardData> GetAsync(DashboardQuery query, CancellationToken ct = default);
}

/// <summary>What to count: one federation (null = the whole county) and one definition (null = all).</summary>
public sealed record DashboardQuery(string? FederationId = null, string? DefinitionId = null);

public sealed record DashboardData(
    IReadOnlyList<KpiCard> Cards,
    IReadOnlyList<UnitRow> Federations,
    IReadOnlyList<UnitRow> Schools,
    IReadOnlyList<OverdueTask> Overdue,
    IReadOnlyList<StageCount> Stages,
    IReadOnlyList<DefinitionCount> Definitions,
    DateTimeOffset ComputedAt);

/// <summary>
/// One KPI. <see cref="Value"/> and <see cref="Target"/> are shares (0..1) or amounts in <see cref="Unit"/>;
/// <see cref="Value"/> is null when no instance carries the data yet.
/// </summary>
public sealed record KpiCard(string Key, double? Value, double Target, string Unit, int Numerator, int Denominator)
{
    public const string UnitShare = "share";
    public const string UnitHours = "hours";

    public bool Met => Value is { } v && v >= Target;
}

/// <summary>A federation or a school and its counts.</summary>
public sealed record UnitRow(string Id, string Name, string Kind, string? FederationName, bool IsCore,
    int Teachers, int Eligible, int Rotating, int BackboneRotating, int TrainingExpected, int TrainingAttended, double TrainingHours,
    int RunningInstances, int FinishedInstances, int PendingTasks, int OverdueTasks, int TrainedTeachers = 0)
{
    /// <summary>Rotating teachers among the eligible, null without eligible teachers.</summary>
    public double? RotationShare => Eligible > 0 ? (double)Rotating / Eligible : null;

    /// <summary>Backbone teachers among the rotating, null without rotating teachers.</summary>
    public double? BackboneShare => Rotating > 0 ? (double)BackboneRotating / Rotating : null;

    /// <summary>Attended training days among the planned, null without planned days.</summary>
    public double? AttendanceRate => TrainingExpected > 0 ? (double)TrainingAttended / TrainingExpected : null;

    /// <summary>Training hours per trained teacher, null without training records.</summary>
    public double? HoursPerTeacher => TrainedTeachers > 0 ? TrainingHours / TrainedTeachers : null;
}

public sealed record OverdueTask(string TaskId, string InstanceId, string DefinitionId, string DefinitionName, string StepName,
    string AssigneeId, string AssigneeName, string? SchoolName, string? FederationName, DateTimeOffset DueAt, double DaysOverdue);

/// <summary>Running instances of a definition waiting at a step.</summary>
public sealed record StageCount(string DefinitionId, string DefinitionName, string Stage, int Instances);

public sealed record DefinitionCount(string DefinitionId, string DefinitionName, int Running, int Finished, int Cancelled, int Faulted);
