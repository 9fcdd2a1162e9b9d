using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Workflows.Activities.People;
using Workflows.Engine.Execution;
using Workflows.Engine.Expressions;
using Workflows.Host.Components.Web;
using Workflows.Host.Definitions;
using Workflows.Host.Features.Dashboard;
using Workflows.Host.People;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Features.Kpis;

/// <summary>
/// Computes the KPIs from the instances themselves: rotation from the variables <c>Eligible</c> and <c>Rotating</c> of
/// instances whose definition says <c>customProperties.kpi = "rotation"</c>, training from the variable
/// <c>Attendance</c> of <c>"training"</c> instances (finished and running, not cancelled or faulted, of the year);
/// overdue tasks and stages from the task inbox and the bookmarks. The variables are documented in docs/processes.md.
/// </summary>
public sealed class KpiCalculator(IDbContextFactory<WorkflowsDbContext> contexts, DefinitionStore definitions, TimeProvider time,
    IOptions<KpiOptions> options)
{
    public const string VariableYear = "Year";
    public const string VariableEligible = "Eligible";
    public const string VariableRotating = "Rotating";
    public const string VariableAttendance = "Attendance";

    public async Task<KpiReport> ComputeAsync(KpiRequest request, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = time.GetUtcNow();
        var o = options.Value;
        var tree = await OrgTree.LoadAsync(db, ct);
        var county = tree.Units.FirstOrDefault(u => u.Kind == OrgUnit.KindCounty);
        var federations = tree.Units.Where(u => u.Kind == OrgUnit.KindFederation).OrderBy(u => u.Code ?? u.Name, StringComparer.Ordinal).ToList();
        var schools = federations.SelectMany(f => tree.ChildrenOf(f.Id)).Where(u => u.Kind == OrgUnit.KindSchool)
            .OrderBy(u => u.Code ?? u.Name, StringComparer.Ordinal).ToList();
        string? FederationOf(string? schoolId) => tree.SelfAndAncestors(schoolId).FirstOrDefault(u => u.Kind == OrgUnit.KindFederation)?.Id;

        var people = await db.Users.AsNoTracking()
            .Select(u => new Person(u.Id, u.Name, u.SchoolId, u.IsBackbone, u.Status == UserStatuses.Active
                && db.RoleAssignments.Any(a => a.UserId == u.Id && a.Role == Roles.Teacher)))
            .ToListAsync(ct);
        var byId = people.ToDictionary(p => p.Id, StringComparer.Ordinal);

        // Definitions: names, and which carry which KPI.
        var latest = await db.Definitions.AsNoTracking().Where(d => d.IsLatest).Select(d => new { d.DefinitionId, d.Name, d.Json }).ToListAsync(ct);
        var names = latest.ToDictionary(d => d.DefinitionId, d => d.Name, StringComparer.Ordinal);
        var kinds = latest.Select(d => (d.DefinitionId, Kind: KpiKind(d.Json))).Where(d => d.Kind is not null)
            .ToDictionary(d => d.DefinitionId, d => d.Kind!, StringComparer.Ordinal);
        string NameOf(string definitionId) => names.GetValueOrDefault(definitionId, definitionId);

        // Facts from the instances of the year.
        var factIds = kinds.Keys.Where(k => request.DefinitionId is null || k == request.DefinitionId).ToList();
        var factRows = await db.Instances.AsNoTracking()
            .Where(i => factIds.Contains(i.DefinitionId) && i.SubStatus != nameof(WorkflowSubStatus.Cancelled) && i.SubStatus != nameof(WorkflowSubStatus.Faulted))
            .Select(i => new { i.DefinitionId, i.CreatedAt, i.StateJson }).ToListAsync(ct);
        var eligible = new Dictionary<string, Fact>(StringComparer.Ordinal);
        var rotating = new Dictionary<string, Fact>(StringComparer.Ordinal);
        var training = new Dictionary<string, TrainingFact>(StringComparer.Ordinal);
        foreach (var row in factRows)
        {
            var state = WorkflowState.FromJson(row.StateJson);
            if (YearOf(state, row.CreatedAt) != request.Year) continue;
            if (kinds[row.DefinitionId] == KpiOptions.KindRotation)
            {
                foreach (var f in Facts(state.Variables.GetValueOrDefault(VariableEligible), byId)) eligible.TryAdd(f.TeacherId, f);
                foreach (var f in Facts(state.Variables.GetValueOrDefault(VariableRotating), byId)) rotating[f.TeacherId] = f;
            }
            else
            {
                foreach (var (teacherId, value) in state.Variables.GetValueOrDefault(VariableAttendance) as JsonObject ?? [])
                {
                    if (value is not JsonObject a) continue;
                    var school = ValueConverter.AsString(a["schoolId"]) ?? byId.GetValueOrDefault(teacherId)?.SchoolId;
                    var fact = new TrainingFact(teacherId, school, Int(a["plannedDays"]), Int(a["attendedDays"]), ValueConverter.AsDouble(a["hours"]) ?? 0);
                    // A teacher in two trainings of the year counts both.
                    training[teacherId] = training.TryGetValue(teacherId, out var before)
                        ? before with { PlannedDays = before.PlannedDays + fact.PlannedDays, AttendedDays = before.AttendedDays + fact.AttendedDays, Hours = before.Hours + fact.Hours }
                        : fact;
                }
            }
        }

        // Instances and tasks.
        var instanceQuery = db.Instances.AsNoTracking();
        if (request.DefinitionId is not null) instanceQuery = instanceQuery.Where(i => i.DefinitionId == request.DefinitionId);
        var instances = await instanceQuery.Select(i => new InstanceRow(i.Id, i.DefinitionId, i.DefinitionVersion, i.Status, i.SubStatus, i.InitiatorId))
            .ToListAsync(ct);
        var taskQuery = db.Tasks.AsNoTracking().Where(t => t.Kind == HumanTask.KindApproval && t.Status == "Pending");
        if (request.DefinitionId is not null) taskQuery = taskQuery.Where(t => t.DefinitionId == request.DefinitionId);
        var pending = await taskQuery.Select(t => new TaskRow(t.Id, t.InstanceId, t.DefinitionId, t.ActivityId, t.StepName, t.AssigneeId, t.DueAt))
            .ToListAsync(ct);
        // Comparing DateTimeOffset in SQL differs per provider; the pending list is small enough to compare here.
        var overdue = pending.Where(t => t.DueAt is { } due && due < now).ToList();
        string? SchoolOfUser(string? userId) => userId is null ? null : byId.GetValueOrDefault(userId)?.SchoolId;

        UnitKpi Row(OrgUnit unit, IReadOnlySet<string> unitSchools)
        {
            bool In(string? schoolId) => schoolId is not null && unitSchools.Contains(schoolId);
            var unitEligible = eligible.Values.Count(f => In(f.SchoolId));
            var unitRotating = rotating.Values.Where(f => In(f.SchoolId)).ToList();
            var backbone = unitRotating.Count(f => f.IsBackbone);
            var unitTraining = training.Values.Where(f => In(f.SchoolId)).ToList();
            var planned = unitTraining.Sum(f => f.PlannedDays);
            var attended = unitTraining.Sum(f => f.AttendedDays);
            var hours = unitTraining.Sum(f => f.Hours);
            double? rotationRatio = unitEligible > 0 ? (double)unitRotating.Count / unitEligible : null;
            double? backboneShare = unitRotating.Count > 0 ? (double)backbone / unitRotating.Count : null;
            double? attendance = planned > 0 ? (double)attended / planned : null;
            var federation = unit.Kind == OrgUnit.KindSchool ? tree.Find(unit.ParentId) : null;
            return new UnitKpi(unit.Id, unit.Name, unit.Kind, federation?.Id, federation?.Name, unit.IsCore,
                people.Count(p => p.IsTeacher && In(p.SchoolId)),
                unitEligible, unitRotating.Count, backbone, Round(rotationRatio), rotationRatio is { } r ? r >= o.RotationTarget - 1e-9 : null,
                Round(backboneShare), backboneShare is { } b ? b >= o.BackboneTarget - 1e-9 : null,
                unitTraining.Count, planned, attended, Round(attendance), hours, unitTraining.Count > 0 ? Round(hours / unitTraining.Count) : null,
                instances.Count(i => In(SchoolOfUser(i.InitiatorId)) && i.Status != nameof(WorkflowStatus.Finished)),
                instances.Count(i => In(SchoolOfUser(i.InitiatorId)) && i.SubStatus == nameof(WorkflowSubStatus.Finished)),
                pending.Count(t => In(SchoolOfUser(t.AssigneeId))), overdue.Count(t => In(SchoolOfUser(t.AssigneeId))));
        }

        var allSchools = schools.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var countyRow = Row(county ?? new OrgUnit { Id = "county", Kind = OrgUnit.KindCounty, Name = "全县" }, allSchools);
        var federationRows = federations.Select(f => Row(f, tree.SchoolsUnder([f.Id]).ToHashSet(StringComparer.Ordinal))).ToList();
        var schoolRows = schools.Select(s => Row(s, new HashSet<string>(StringComparer.Ordinal) { s.Id })).ToList();

        // The scope asked for: a school, a federation, or the county.
        HashSet<string>? scopeSchools = request.SchoolId is { } sid ? [sid]
            : request.FederationId is { } fid ? tree.SchoolsUnder([fid]).ToHashSet(StringComparer.Ordinal) : null;
        bool InScope(string? schoolId) => scopeSchools is null || (schoolId is not null && scopeSchools.Contains(schoolId));
        if (scopeSchools is not null)
        {
            schoolRows = schoolRows.Where(r => scopeSchools.Contains(r.Id)).ToList();
            var federationId = request.FederationId ?? FederationOf(request.SchoolId);
            federationRows = request.SchoolId is null ? federationRows.Where(r => r.Id == federationId).ToList() : [];
        }

        var overdueItems = overdue.Where(t => scopeSchools is null || InScope(SchoolOfUser(t.AssigneeId))).OrderBy(t => t.DueAt).Select(t =>
        {
            var schoolId = SchoolOfUser(t.AssigneeId);
            var school = tree.Find(schoolId);
            return new OverdueTaskItem(t.Id, t.InstanceId, t.DefinitionId, NameOf(t.DefinitionId), t.StepName, t.AssigneeId,
                byId.GetValueOrDefault(t.AssigneeId)?.Name ?? t.AssigneeId, schoolId, school?.Name, tree.Find(school?.ParentId)?.Name,
                t.DueAt!.Value, Math.Round((now - t.DueAt!.Value).TotalDays, 1));
        }).ToList();

        var running = instances.Where(i => i.Status != nameof(WorkflowStatus.Finished)).ToList();
        var tasksByInstance = pending.ToLookup(t => t.InstanceId);
        if (scopeSchools is not null)
            running = running.Where(i => InScope(SchoolOfUser(i.InitiatorId)) || tasksByInstance[i.Id].Any(t => InScope(SchoolOfUser(t.AssigneeId)))).ToList();
        var stages = await StagesAsync(db, running, tasksByInstance, NameOf, ct);

        var byDefinition = instances.GroupBy(i => i.DefinitionId)
            .Select(g => new DefinitionItem(g.Key, NameOf(g.Key),
                g.Count(i => i.Status != nameof(WorkflowStatus.Finished)),
                g.Count(i => i.SubStatus == nameof(WorkflowSubStatus.Finished)),
                g.Count(i => i.SubStatus == nameof(WorkflowSubStatus.Cancelled)),
                g.Count(i => i.SubStatus == nameof(WorkflowSubStatus.Faulted))))
            .OrderBy(d => d.DefinitionName, StringComparer.Ordinal).ToList();

        return new KpiReport(request.Year, now, new KpiTargets(o.RotationTarget, o.BackboneTarget, o.AttendanceTarget, o.HoursTarget, o.EligibleYears),
            countyRow, federationRows, schoolRows, overdueItems, stages, byDefinition);
    }

    /// <summary>Where each running instance waits: the activities holding its bookmarks (tasks, timers, events), by name.</summary>
    private async Task<List<StageItem>> StagesAsync(WorkflowsDbContext db, List<InstanceRow> running, ILookup<string, TaskRow> tasks,
        Func<string, string> nameOf, CancellationToken ct)
    {
        var ids = running.Select(i => i.Id).ToList();
        var bookmarks = new List<(string InstanceId, string ActivityId)>();
        foreach (var chunk in ids.Chunk(500))
            bookmarks.AddRange((await db.Bookmarks.AsNoTracking().Where(b => chunk.Contains(b.InstanceId))
                .Select(b => new { b.InstanceId, b.ActivityId }).Distinct().ToListAsync(ct)).Select(b => (b.InstanceId, b.ActivityId)));
        var byInstance = bookmarks.ToLookup(b => b.InstanceId, b => b.ActivityId);
        var stages = new Dictionary<(string Definition, string Activity), (int Instances, int Tasks)>();
        foreach (var instance in running)
        {
            foreach (var activity in byInstance[instance.Id].Distinct(StringComparer.Ordinal))
            {
                var key = (instance.DefinitionId, activity);
                var (count, taskCount) = stages.GetValueOrDefault(key);
                stages[key] = (count + 1, taskCount + tasks[instance.Id].Count(t => t.ActivityId == activity));
            }
        }
        var result = new List<StageItem>();
        foreach (var ((definitionId, activityId), (count, taskCount)) in stages)
        {
            var version = running.Where(i => i.DefinitionId == definitionId).Max(i => i.DefinitionVersion);
            var definition = await definitions.GetAsync(definitionId, version, ct);
            var stage = definition?.Find(activityId)?.DisplayName ?? activityId;
            result.Add(new StageItem(definitionId, nameOf(definitionId), activityId, stage, count, taskCount));
        }
        return result.OrderBy(s => s.DefinitionName, StringComparer.Ordinal).ThenByDescending(s => s.Instances).ThenBy(s => s.Stage, StringComparer.Ordinal).ToList();
    }

    /// <summary>The year an instance belongs to: its variable "Year", else its input "year", else the year it started (China).</summary>
    public static int YearOf(WorkflowState state, DateTimeOffset createdAt) =>
        ValueConverter.AsDouble(state.Variables.GetValueOrDefault(VariableYear)) is { } y && y >= 1900 ? (int)y
        : ValueConverter.AsDouble(state.Input["year"]) is { } iy && iy >= 1900 ? (int)iy
        : ChinaTime.ToChina(createdAt).Year;

    private static string? KpiKind(string json)
    {
        try
        {
            return JsonNode.Parse(json)?["customProperties"]?["kpi"] is JsonValue v && v.TryGetValue<string>(out var kind)
                   && kind is KpiOptions.KindRotation or KpiOptions.KindTraining ? kind : null;
        }
        catch (JsonException)
        {
            return null; // stored definitions were validated on import; a broken one simply carries no KPI
        }
    }

    /// <summary>Teachers of a list variable: ids, or objects with "id" (and "schoolId", "isBackbone"; the roster fills what is missing).</summary>
    private static IEnumerable<Fact> Facts(JsonNode? value, IReadOnlyDictionary<string, Person> people)
    {
        foreach (var item in value as JsonArray ?? [])
        {
            var id = item is JsonObject o ? ValueConverter.AsString(o["id"]) : ValueConverter.AsString(item);
            if (string.IsNullOrEmpty(id)) continue;
            var person = people.GetValueOrDefault(id);
            var school = (item as JsonObject)?["schoolId"] is { } s ? ValueConverter.AsString(s) : person?.SchoolId;
            var backbone = (item as JsonObject)?["isBackbone"] is { } b ? ValueConverter.AsBool(b) : person?.IsBackbone ?? false;
            yield return new Fact(id, school, backbone);
        }
    }

    private static int Int(JsonNode? value) => (int)Math.Round(Math.Max(ValueConverter.AsDouble(value) ?? 0, 0));

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 4) : null;

    private sealed record Person(string Id, string Name, string? SchoolId, bool IsBackbone, bool IsTeacher);
    private sealed record Fact(string TeacherId, string? SchoolId, bool IsBackbone);
    private sealed record TrainingFact(string TeacherId, string? SchoolId, int PlannedDays, int AttendedDays, double Hours);
    private sealed record InstanceRow(string Id, string DefinitionId, int DefinitionVersion, string Status, string SubStatus, string? InitiatorId);
    private sealed record TaskRow(string Id, string InstanceId, string DefinitionId, string ActivityId, string StepName, string AssigneeId, DateTimeOffset? DueAt);
}
