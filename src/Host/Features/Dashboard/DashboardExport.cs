using MiniExcelLibs;
using Workflows.Host.Components.Web;
using Workflows.Host.Features.Auth;

namespace Workflows.Host.Features.Dashboard;

/// <summary>GET /dashboard/export.xlsx: the dashboard as a workbook, one sheet per table, headers in the reader's language.</summary>
public static class DashboardExport
{
    public static IEndpointRouteBuilder MapDashboardExport(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dashboard/export.xlsx", ExportAsync).RequireAuthorization(AuthPolicies.BureauStaff).ExcludeFromDescription();
        return app;
    }

    public static async Task<IResult> ExportAsync(IKpiService kpis, Loc l, string? federationId, string? definitionId, CancellationToken ct)
    {
        var data = await kpis.GetAsync(new DashboardQuery(Blank(federationId), Blank(definitionId)), ct);
        var sheets = new Dictionary<string, object>
        {
            [l["dash.sheet.kpi"]] = data.Cards.Select(c => new Dictionary<string, object?>
            {
                [l["dash.col.kpi"]] = l[$"dash.kpi.{c.Key}"],
                [l["dash.col.value"]] = c.Value is { } v ? Math.Round(v, 4) : null,
                [l["dash.col.target"]] = c.Target,
                [l["dash.col.numerator"]] = c.Numerator,
                [l["dash.col.denominator"]] = c.Denominator,
                [l["dash.col.met"]] = c.Value is null ? l["dash.noData"] : c.Met ? l["common.yes"] : l["common.no"],
            }).ToList(),
            [l["dash.sheet.federations"]] = data.Federations.Select(r => UnitColumns(l, r, school: false)).ToList(),
            [l["dash.sheet.schools"]] = data.Schools.Select(r => UnitColumns(l, r, school: true)).ToList(),
            [l["dash.sheet.overdue"]] = data.Overdue.Select(t => new Dictionary<string, object?>
            {
                [l["dash.col.definition"]] = t.DefinitionName,
                [l["dash.col.step"]] = t.StepName,
                [l["dash.col.assignee"]] = t.AssigneeName,
                [l["dash.col.school"]] = t.SchoolName,
                [l["dash.col.federation"]] = t.FederationName,
                [l["dash.col.due"]] = ChinaTime.Format(t.DueAt),
                [l["dash.col.daysOverdue"]] = t.DaysOverdue,
                [l["dash.col.instance"]] = t.InstanceId,
            }).ToList(),
            [l["dash.sheet.stages"]] = data.Stages.Select(s => new Dictionary<string, object?>
            {
                [l["dash.col.definition"]] = s.DefinitionName,
                [l["dash.col.stage"]] = s.Stage.Length == 0 ? l["dash.stageWaiting"] : s.Stage,
                [l["dash.col.instances"]] = s.Instances,
            }).ToList(),
            [l["dash.sheet.definitions"]] = data.Definitions.Select(d => new Dictionary<string, object?>
            {
                [l["dash.col.definition"]] = d.DefinitionName,
                [l["inst.status.running"]] = d.Running,
                [l["inst.status.finished"]] = d.Finished,
                [l["inst.status.cancelled"]] = d.Cancelled,
                [l["inst.status.faulted"]] = d.Faulted,
            }).ToList(),
        };
        var stream = new MemoryStream();
        await stream.SaveAsAsync(sheets, excelType: ExcelType.XLSX, cancellationToken: ct);
        stream.Position = 0;
        var name = $"dashboard-{ChinaTime.ToChina(data.ComputedAt):yyyyMMdd-HHmm}.xlsx";
        return TypedResults.File(stream, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name);
    }

    private static Dictionary<string, object?> UnitColumns(Loc l, UnitRow r, bool school)
    {
        var row = new Dictionary<string, object?> { [l[school ? "dash.col.school" : "dash.col.federation"]] = r.Name };
        if (school) row[l["dash.col.federation"]] = r.FederationName;
        row[l["dash.col.teachers"]] = r.Teachers;
        row[l["dash.col.eligible"]] = r.Eligible;
        row[l["dash.col.rotating"]] = r.Rotating;
        row[l["dash.col.backbone"]] = r.BackboneRotating;
        row[l["dash.col.trainingPlanned"]] = r.TrainingExpected;
        row[l["dash.col.trainingAttended"]] = r.TrainingAttended;
        row[l["dash.col.hours"]] = r.TrainingHours;
        row[l["dash.kpi.rotation"]] = Share(r.RotationShare);
        row[l["dash.kpi.backbone"]] = Share(r.BackboneShare);
        row[l["dash.kpi.attendance"]] = Share(r.AttendanceRate);
        row[l["dash.kpi.hours"]] = r.HoursPerTeacher is { } h ? Math.Round(h, 1) : null;
        row[l["dash.col.running"]] = r.RunningInstances;
        row[l["dash.col.finished"]] = r.FinishedInstances;
        row[l["dash.col.pending"]] = r.PendingTasks;
        row[l["dash.col.overdue"]] = r.OverdueTasks;
        return row;
    }

    private static double? Share(double? share) => share is { } v ? Math.Round(v, 4) : null;

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
