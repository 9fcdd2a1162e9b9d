using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Workflows.Engine.Execution;
using Workflows.Engine.Expressions;
using Workflows.Activities.People;
using Workflows.Persistence;

namespace Workflows.Host.Features.Dashboard;

public sealed partial class KpiService
{
    /// <summary>Definition id → KPI kind, from the latest version's <c>customProperties.kpi</c>.</summary>
    private static async Task<Dictionary<string, string>> KpiKindsAsync(WorkflowsDbContext db, CancellationToken ct)
    {
        var latest = await db.Definitions.AsNoTracking().Where(d => d.IsLatest).Select(d => new { d.DefinitionId, d.Json }).ToListAsync(ct);
        var kinds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var d in latest)
        {
            try
            {
                if (JsonNode.Parse(d.Json)?["customProperties"]?["kpi"] is JsonValue v && v.TryGetValue<string>(out var kind)
                    && kind is KpiOptions.KindRotation or KpiOptions.KindTraining)
                    kinds[d.DefinitionId] = kind;
            }
            catch (System.Text.Json.JsonException)
            {
                // A stored definition was validated on import; a broken one simply carries no KPI.
            }
        }
        return kinds;
    }

    private sealed record TrainingRecord(string TeacherId, int PlannedDays, int AttendedDays, double Hours);

    private sealed record Facts(bool HasRotation, IReadOnlySet<string> RotatingTeachers, bool HasTraining, IReadOnlyList<TrainingRecord> Training);

    /// <summary>
    /// Reads this year's rotation and training instances. Rotation: the teacher(s) in <c>teacherId</c>/<c>teacherIds</c>
    /// of an instance that was not cancelled, did not fault and whose <c>outcome</c> is not "rejected".
    /// Training: per instance <c>teacherId</c>, <c>plannedDays</c> (default 1), <c>attendedDays</c> and <c>hours</c>.
    /// Variables win over the start input of the same name.
    /// </summary>
    private static async Task<Facts> KpiFactsAsync(WorkflowsDbContext db, Dictionary<string, string> kinds, DashboardQuery query, int year,
        CancellationToken ct)
    {
        var ids = kinds.Keys.Where(k => query.DefinitionId is null || k == query.DefinitionId).ToList();
        if (ids.Count == 0) return new Facts(false, new HashSet<string>(), false, []);
        var rows = await db.Instances.AsNoTracking().Where(i => ids.Contains(i.DefinitionId))
            .Select(i => new { i.DefinitionId, i.SubStatus, i.CreatedAt, i.StateJson }).ToListAsync(ct);

        var rotating = new HashSet<string>(StringComparer.Ordinal);
        var training = new List<TrainingRecord>();
        bool hasRotation = false, hasTraining = false;
        foreach (var row in rows)
        {
            if (Components.Web.ChinaTime.ToChina(row.CreatedAt).Year != year) continue;
            if (row.SubStatus is nameof(WorkflowSubStatus.Cancelled) or nameof(WorkflowSubStatus.Faulted)) continue;
            var state = WorkflowState.FromJson(row.StateJson);
            JsonNode? Value(string name) => state.Variables.TryGetValue(name, out var v) && v is not null ? v : state.Input[name];
            if (kinds[row.DefinitionId] == KpiOptions.KindRotation)
            {
                hasRotation = true;
                if (string.Equals(ValueConverter.AsString(Value("outcome")), "rejected", StringComparison.OrdinalIgnoreCase)) continue;
                foreach (var teacher in AssigneeRule.StringsOf(Value("teacherId")).Concat(AssigneeRule.StringsOf(Value("teacherIds"))))
                    rotating.Add(teacher);
            }
            else
            {
                hasTraining = true;
                if (ValueConverter.AsString(Value("teacherId")) is not { Length: > 0 } teacher) continue;
                var planned = (int)Math.Round(ValueConverter.AsDouble(Value("plannedDays")) ?? 1);
                var attended = (int)Math.Round(ValueConverter.AsDouble(Value("attendedDays")) ?? 0);
                training.Add(new TrainingRecord(teacher, Math.Max(planned, 0), Math.Clamp(attended, 0, Math.Max(planned, 0)),
                    Math.Max(ValueConverter.AsDouble(Value("hours")) ?? 0, 0)));
            }
        }
        return new Facts(hasRotation, rotating, hasTraining, training);
    }
}
