namespace Workflows.Host.Features.Kpis;

/// <summary>What to count: one year, optionally one federation or one school, optionally one definition.</summary>
public sealed record KpiRequest(int Year, string? FederationId = null, string? SchoolId = null, string? DefinitionId = null);

/// <summary>The federation's numbers for a year (see docs/processes.md, "KPIs").</summary>
public sealed record KpiReport(
    int Year,
    DateTimeOffset ComputedAt,
    KpiTargets Targets,
    UnitKpi County,
    IReadOnlyList<UnitKpi> Federations,
    IReadOnlyList<UnitKpi> Schools,
    IReadOnlyList<OverdueTaskItem> OverdueTasks,
    IReadOnlyList<StageItem> Stages,
    IReadOnlyList<DefinitionItem> Definitions);

public sealed record KpiTargets(double Rotation, double Backbone, double Attendance, double HoursPerTeacher, int EligibleYears);

/// <summary>
/// One unit (the county, a federation or a school). Rotation: teachers of the unit's schools (their sending school);
/// ratios are null when there is nothing to divide by. Training: days and hours of the unit's enrolled teachers.
/// Instances are counted by their initiator's school, tasks by their assignee's school.
/// </summary>
public sealed record UnitKpi(
    string Id, string Name, string Kind, string? FederationId, string? FederationName, bool IsCore,
    int Teachers,
    int Eligible, int Rotating, int BackboneRotating, double? RotationRatio, bool? RotationMet, double? BackboneShare, bool? BackboneMet,
    int TrainingEnrolled, int TrainingPlannedDays, int TrainingAttendedDays, double? AttendanceRate, double TrainingHours, double? AverageHours,
    int RunningInstances, int FinishedInstances, int PendingTasks, int OverdueTasks);

/// <summary>A pending task past its due date, and whom it waits on.</summary>
public sealed record OverdueTaskItem(string TaskId, string InstanceId, string DefinitionId, string DefinitionName, string StepName,
    string AssigneeId, string AssigneeName, string? SchoolId, string? SchoolName, string? FederationName, DateTimeOffset DueAt, double DaysOverdue);

/// <summary>Running instances of a definition waiting at a step (an activity's name), and the pending tasks there.</summary>
public sealed record StageItem(string DefinitionId, string DefinitionName, string ActivityId, string Stage, int Instances, int Tasks);

public sealed record DefinitionItem(string DefinitionId, string DefinitionName, int Running, int Finished, int Cancelled, int Faulted);
