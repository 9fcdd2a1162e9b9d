using Workflows.Host.Components.Web;
using Workflows.Host.Features.Dashboard;

namespace Workflows.Host.Features.Kpis;

/// <summary>
/// The dashboard's <see cref="IKpiService"/> over <see cref="KpiCalculator"/>: this year's numbers, the same ones
/// GET /api/kpis gives. Cards: "rotation" (rotating ÷ eligible), "backbone" (backbone share of rotating), "attendance"
/// (attended ÷ planned training days), "hours" (training hours per enrolled teacher).
/// </summary>
public sealed class ProcessKpiService(KpiCalculator calculator, TimeProvider time) : IKpiService
{
    public async Task<DashboardData> GetAsync(DashboardQuery query, CancellationToken ct = default)
    {
        var report = await calculator.ComputeAsync(new KpiRequest(ChinaTime.Today(time).Year, query.FederationId, null, query.DefinitionId), ct);
        var scope = query.FederationId is null ? report.County : report.Federations.FirstOrDefault() ?? report.County;
        var t = report.Targets;
        var cards = new List<KpiCard>
        {
            new("rotation", scope.RotationRatio, t.Rotation, KpiCard.UnitShare, scope.Rotating, scope.Eligible),
            new("backbone", scope.BackboneShare, t.Backbone, KpiCard.UnitShare, scope.BackboneRotating, scope.Rotating),
            new("attendance", scope.AttendanceRate, t.Attendance, KpiCard.UnitShare, scope.TrainingAttendedDays, scope.TrainingPlannedDays),
            new("hours", scope.AverageHours, t.HoursPerTeacher, KpiCard.UnitHours, (int)Math.Round(scope.TrainingHours), scope.TrainingEnrolled),
        };
        return new DashboardData(cards,
            [.. report.Federations.Select(Row)],
            [.. report.Schools.Select(Row)],
            [.. report.OverdueTasks.Select(o => new OverdueTask(o.TaskId, o.InstanceId, o.DefinitionId, o.DefinitionName, o.StepName, o.AssigneeId,
                o.AssigneeName, o.SchoolName, o.FederationName, o.DueAt, o.DaysOverdue))],
            [.. report.Stages.GroupBy(s => (s.DefinitionId, s.DefinitionName, s.Stage))
                .Select(g => new StageCount(g.Key.DefinitionId, g.Key.DefinitionName, g.Key.Stage, g.Sum(s => s.Instances)))],
            [.. report.Definitions.Select(d => new DefinitionCount(d.DefinitionId, d.DefinitionName, d.Running, d.Finished, d.Cancelled, d.Faulted))],
            report.ComputedAt);
    }

    private static UnitRow Row(UnitKpi u) => new(u.Id, u.Name, u.Kind, u.FederationName, u.IsCore, u.Teachers, u.Eligible, u.Rotating,
        u.BackboneRotating, u.TrainingPlannedDays, u.TrainingAttendedDays, u.TrainingHours, u.RunningInstances, u.FinishedInstances,
        u.PendingTasks, u.OverdueTasks, u.TrainingEnrolled);
}
