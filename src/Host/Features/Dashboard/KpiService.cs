using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Workflows.Activities.People;
using Workflows.Engine.Execution;
using Workflows.Engine.Expressions;
using Workflows.Host.Components.Web;
using Workflows.Host.People;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Features.Dashboard;

/// <summary>
/// Computes the dashboard from the tables there are today: the roster, instances, tasks. Rotation and training
/// KPIs come from the variables (or input) of instances whose definition says <c>customProperties.kpi</c> =
/// "rotation" or "training" (see docs/web-ui.md); without such instances those cards show "no data yet".
/// </summary>
public sealed partial class KpiService(IDbContextFactory<WorkflowsDbContext> contexts, TimeProvider time, IOptions<KpiOptions> options) : IKpiService
{
    public async Task<DashboardData> GetAsync(DashboardQuery query, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = time.GetUtcNow();
        var tree = await OrgTree.LoadAsync(db, ct);
        var federations = tree.Units.Where(u => u.Kind == OrgUnit.KindFederation && (query.FederationId is null || u.Id == query.FederationId))
            .OrderBy(u => u.Code ?? u.Name, StringComparer.Ordinal).ToList();
        var schools = federations.SelectMany(f => tree.ChildrenOf(f.Id)).Where(u => u.Kind == OrgUnit.KindSchool)
            .OrderBy(u => u.Code ?? u.Name, StringComparer.Ordinal).ToList();
        var schoolIds = schools.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var wholeCounty = query.FederationId is null;

        var teachers = await db.Users.AsNoTracking()
            .Where(u => u.Status == UserStatuses.Active && u.SchoolId != null
                        && db.RoleAssignments.Any(a => a.UserId == u.Id && a.Role == Roles.Teacher))
            .Select(u => new Person(u.Id, u.Name, u.SchoolId, u.IsBackbone, u.JoinedSchoolOn))
            .ToListAsync(ct);
        teachers = teachers.Where(t => schoolIds.Contains(t.SchoolId!)).ToList();
        var today = ChinaTime.Today(time);
        var eligibleBefore = today.AddYears(-options.Value.EligibleYears);
        var eligible = teachers.Where(t => t.JoinedSchoolOn is { } d && d <= eligibleBefore).ToList();

        var definitionNames = await db.Definitions.AsNoTracking().Where(d => d.IsLatest)
            .ToDictionaryAsync(d => d.DefinitionId, d => d.Name, ct);
        var kinds = await KpiKindsAsync(db, ct);

        // Instances counted for a school through their initiator's school.
        var instanceQuery = db.Instances.AsNoTracking();
        if (query.DefinitionId is not null) instanceQuery = instanceQuery.Where(i => i.DefinitionId == query.DefinitionId);
        var instances = await instanceQuery
            .Select(i => new InstanceRow(i.Id, i.DefinitionId, i.Status, i.SubStatus, i.CreatedAt,
                db.Users.Where(u => u.Id == i.InitiatorId).Select(u => u.SchoolId).FirstOrDefault()))
            .ToListAsync(ct);
        if (!wholeCounty) instances = instances.Where(i => i.SchoolId is not null && schoolIds.Contains(i.SchoolId)).ToList();

        var pending = await db.Tasks.AsNoTracking()
            .Where(t => t.Kind == HumanTask.KindApproval && t.Status == "Pending")
            .Where(t => query.DefinitionId == null || t.DefinitionId == query.DefinitionId)
            .Select(t => new TaskRow(t.Id, t.InstanceId, t.DefinitionId, t.StepName, t.AssigneeId, t.DueAt,
                db.Users.Where(u => u.Id == t.AssigneeId).Select(u => u.Name).FirstOrDefault(),
                db.Users.Where(u => u.Id == t.AssigneeId).Select(u => u.SchoolId).FirstOrDefault()))
            .ToListAsync(ct);
        if (!wholeCounty) pending = pending.Where(t => t.SchoolId is not null && schoolIds.Contains(t.SchoolId)).ToList();
        // Comparing DateTimeOffset in SQL differs per provider; the pending list is small, so compare here.
        var overdue = pending.Where(t => t.DueAt is { } due && due < now).ToList();

        var facts = await KpiFactsAsync(db, kinds, query, today.Year, ct);
        var teacherById = teachers.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var rotating = facts.RotatingTeachers.Where(teacherById.ContainsKey).Select(id => teacherById[id]).ToList();

        UnitRow Row(OrgUnit unit, IReadOnlySet<string> unitSchools, string? federationName)
        {
            bool In(string? schoolId) => schoolId is not null && unitSchools.Contains(schoolId);
            var unitRotating = rotating.Where(t => In(t.SchoolId)).ToList();
            var unitTraining = facts.Training.Where(r => teacherById.TryGetValue(r.TeacherId, out var t) && In(t.SchoolId)).ToList();
            return new UnitRow(unit.Id, unit.Name, unit.Kind, federationName, unit.IsCore,
                teachers.Count(t => In(t.SchoolId)), eligible.Count(t => In(t.SchoolId)),
                unitRotating.Count, unitRotating.Count(t => t.IsBackbone),
                unitTraining.Sum(r => r.PlannedDays), unitTraining.Sum(r => r.AttendedDays), unitTraining.Sum(r => r.Hours),
                instances.Count(i => In(i.SchoolId) && i.Status != nameof(WorkflowStatus.Finished)),
                instances.Count(i => In(i.SchoolId) && i.SubStatus == nameof(WorkflowSubStatus.Finished)),
                pending.Count(t => In(t.SchoolId)), overdue.Count(t => In(t.SchoolId)),
                unitTraining.Select(r => r.TeacherId).Distinct(StringComparer.Ordinal).Count());
        }

        var federationRows = federations
            .Select(f => Row(f, tree.SchoolsUnder([f.Id]).ToHashSet(StringComparer.Ordinal), null)).ToList();
        var schoolRows = schools
            .Select(s => Row(s, new HashSet<string>(StringComparer.Ordinal) { s.Id }, tree.Find(s.ParentId)?.Name)).ToList();

        var trainingAll = facts.Training.Where(r => teacherById.ContainsKey(r.TeacherId)).ToList();
        var o = options.Value;
        var cards = new List<KpiCard>
        {
            Share("rotation", rotating.Count, eligible.Count, o.RotationTarget, facts.HasRotation),
            Share("backbone", rotating.Count(t => t.IsBackbone), rotating.Count, o.BackboneTarget, facts.HasRotation),
            Share("attendance", trainingAll.Sum(r => r.AttendedDays), trainingAll.Sum(r => r.PlannedDays), o.AttendanceTarget, facts.HasTraining),
            new("hours", facts.HasTraining && trainingAll.Count > 0 ? trainingAll.GroupBy(r => r.TeacherId).Average(g => g.Sum(r => r.Hours)) : null,
                o.HoursTarget, KpiCard.UnitHours, (int)Math.Round(trainingAll.Sum(r => r.Hours)), trainingAll.Select(r => r.TeacherId).Distinct().Count()),
        };

        var schoolNames = tree.Units.ToDictionary(u => u.Id, u => u);
        var overdueRows = overdue.OrderBy(t => t.DueAt).Select(t =>
        {
            var school = t.SchoolId is null ? null : schoolNames.GetValueOrDefault(t.SchoolId);
            return new OverdueTask(t.Id, t.InstanceId, t.DefinitionId, definitionNames.GetValueOrDefault(t.DefinitionId, t.DefinitionId), t.StepName,
                t.AssigneeId, t.AssigneeName ?? t.AssigneeId, school?.Name, tree.Find(school?.ParentId)?.Name, t.DueAt!.Value,
                Math.Round((now - t.DueAt!.Value).TotalDays, 1));
        }).ToList();

        var running = instances.Where(i => i.Status != nameof(WorkflowStatus.Finished)).ToList();
        var stepsByInstance = pending.GroupBy(t => t.InstanceId).ToDictionary(g => g.Key, g => g.Select(t => t.StepName).Distinct().ToList());
        var stages = running
            .SelectMany(i => stepsByInstance.TryGetValue(i.Id, out var steps) ? steps.Select(s => (i.DefinitionId, Stage: s)) : [(i.DefinitionId, Stage: StageWaiting)])
            .GroupBy(x => x)
            .Select(g => new StageCount(g.Key.DefinitionId, definitionNames.GetValueOrDefault(g.Key.DefinitionId, g.Key.DefinitionId), g.Key.Stage, g.Count()))
            .OrderBy(s => s.DefinitionName, StringComparer.Ordinal).ThenByDescending(s => s.Instances).ToList();
        var byDefinition = instances.GroupBy(i => i.DefinitionId)
            .Select(g => new DefinitionCount(g.Key, definitionNames.GetValueOrDefault(g.Key, g.Key),
                g.Count(i => i.Status != nameof(WorkflowStatus.Finished)),
                g.Count(i => i.SubStatus == nameof(WorkflowSubStatus.Finished)),
                g.Count(i => i.SubStatus == nameof(WorkflowSubStatus.Cancelled)),
                g.Count(i => i.SubStatus == nameof(WorkflowSubStatus.Faulted))))
            .OrderBy(d => d.DefinitionName, StringComparer.Ordinal).ToList();

        return new DashboardData(cards, federationRows, schoolRows, overdueRows, stages, byDefinition, now);
    }

    /// <summary>The stage of a running instance that waits on something other than a person (a timer, an event).</summary>
    public const string StageWaiting = "";

    private static KpiCard Share(string key, int numerator, int denominator, double target, bool hasData) =>
        new(key, hasData && denominator > 0 ? (double)numerator / denominator : null, target, KpiCard.UnitShare, numerator, denominator);

    private sealed record Person(string Id, string Name, string? SchoolId, bool IsBackbone, DateOnly? JoinedSchoolOn);
    private sealed record InstanceRow(string Id, string DefinitionId, string Status, string SubStatus, DateTimeOffset CreatedAt, string? SchoolId);
    private sealed record TaskRow(string Id, string InstanceId, string DefinitionId, string StepName, string AssigneeId, DateTimeOffset? DueAt,
        string? AssigneeName, string? SchoolId);
}
