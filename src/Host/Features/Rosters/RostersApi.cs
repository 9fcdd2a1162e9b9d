using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Workflows.Activities.Calendar;
using Workflows.Activities.People;
using Workflows.Host.Api;
using Workflows.Host.Features.Auth;
using Workflows.Persistence;
using static Workflows.Host.Features.Rosters.RosterProblemCodes;

namespace Workflows.Host.Features.Rosters;

/// <summary>
/// Roster import and export for the bureau's administrators:
/// <c>POST /api/org/import</c> (multipart <c>file</c>: a .xlsx workbook with the sheets 教联体/学校/教师/角色, or a .csv of
/// one kind — given by <c>kind</c> or seen from its header; several files in one upload are one roster, so new
/// federations and their schools can come as two CSV files; <c>?dryRun=true</c> only checks) and
/// <c>GET /api/org/export?format=xlsx|csv&amp;kind=…</c>, which writes what the import reads.
/// </summary>
public static class RostersApi
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string CsvContentType = "text/csv; charset=utf-8";

    /// <summary>At most this many problems are listed; <c>total</c> says how many there were.</summary>
    public const int MaxReported = 1000;

    public static RouteGroupBuilder MapRostersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/org").WithTags("Rosters").RequireAuthorization(AuthPolicies.Administrators);
        api.MapPost("/import", ImportAsync).DisableAntiforgery()
            .WithSummary("导入花名册 / Import a roster (.xlsx or .csv); all or nothing");
        api.MapGet("/export", ExportAsync)
            .WithSummary("导出花名册 / Export the roster in the layout the import reads");
        return api;
    }

    /// <summary>401 without a sign-in, 403 without BureauAdmin; null when allowed (the policy says the same; this guards a mapping without it).</summary>
    private static IResult? Deny(HttpContext http)
    {
        if (http.User.Identity?.IsAuthenticated != true)
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "未登录 / Not signed in", detail: "请先登录。/ Sign in first.");
        if (!http.User.IsInRole(Roles.BureauAdmin))
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "无权访问 / Forbidden",
                detail: "只有局管理员可以导入或导出花名册。/ Only bureau administrators import or export the roster.");
        return null;
    }

    public static async Task<IResult> ImportAsync(HttpContext http, WorkflowsDbContext db, TimeProvider time, bool? dryRun, string? kind,
        CancellationToken ct)
    {
        if (Deny(http) is { } denied) return denied;
        if (!http.Request.HasFormContentType)
            return Report([FileProblem(null, FileType, "请以 multipart/form-data 上传文件（字段名 file） / Upload the file as multipart/form-data (field \"file\").")]);
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(ct);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return Report([FileProblem(null, FileUnreadable, $"无法读取上传的内容 / The upload cannot be read: {ex.Message}")]);
        }
        if (form.Files.Count == 0)
            return Report([FileProblem(null, FileEmpty, "没有上传文件（字段名 file） / No file was uploaded (field \"file\").")]);
        if (form.Files.FirstOrDefault(f => f.Length > RosterReader.MaxBytes) is { } large)
            return Report([FileProblem(large.FileName, FileTooLarge,
                $"文件超过 {RosterReader.MaxBytes / 1024 / 1024} MB / The file is larger than {RosterReader.MaxBytes / 1024 / 1024} MB.")]);
        if (string.IsNullOrWhiteSpace(kind) && form.TryGetValue("kind", out var formKind)) kind = formKind.ToString();

        var uploads = new List<RosterReader.Upload>();
        foreach (var file in form.Files)
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            uploads.Add(new RosterReader.Upload(buffer.ToArray(), file.FileName));
        }
        var content = RosterReader.Read(uploads, kind);
        var actor = ProblemResults.ActorOf(http) with { UserId = http.User.FindFirstValue(ClaimTypes.NameIdentifier) };
        RosterImportOutcome outcome;
        try
        {
            outcome = await RosterImporter.ImportAsync(db, content, dryRun ?? false, time, actor, ct);
        }
        catch (DbUpdateException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "花名册被同时修改 / The roster changed meanwhile",
                detail: "导入期间花名册被其他操作修改，未导入任何数据，请重试。/ The roster was changed by someone else during the import; nothing was imported. Try again.");
        }
        return outcome.Succeeded ? TypedResults.Ok(outcome.Summary) : Report(outcome.Problems);
    }

    private static RosterProblem FileProblem(string? fileName, string code, string problem) => new(null, null, null, fileName, problem, code);

    /// <summary>400 with the list of problems under <c>report</c>.</summary>
    public static IResult Report(IReadOnlyList<RosterProblem> problems) => TypedResults.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "花名册有错误，未导入任何数据 / The roster has errors; nothing was imported",
        Detail = $"共 {problems.Count} 处错误，请按 report 逐条修改后重新导入。/ {problems.Count} problem(s); fix each one listed in report and import again.",
        Extensions =
        {
            ["total"] = problems.Count,
            ["report"] = problems.Take(MaxReported).ToList(),
        },
    });

    public static async Task<IResult> ExportAsync(HttpContext http, WorkflowsDbContext db, TimeProvider time, string? format, string? kind,
        CancellationToken ct)
    {
        if (Deny(http) is { } denied) return denied;
        format = string.IsNullOrWhiteSpace(format) ? "xlsx" : format.Trim().ToLowerInvariant();
        if (format is not ("xlsx" or "csv"))
            return ProblemResults.Validation("format", "format 必须是 xlsx 或 csv / format must be xlsx or csv.");
        RosterSheetLayout? layout = null;
        if (!string.IsNullOrWhiteSpace(kind) && (layout = RosterLayout.Find(kind)) is null)
            return ProblemResults.Validation("kind", $"kind 必须是 {string.Join("、", RosterLayout.All.Select(l => l.KindName))} 之一 / kind must be one of {string.Join(", ", RosterLayout.All.Select(l => l.KindName))}.");
        if (format == "csv" && layout is null)
            return ProblemResults.Validation("kind", "CSV 每个文件只含一种，请给出 kind（federations、schools、teachers、roles） / A CSV file holds one kind; give kind (federations, schools, teachers or roles).");

        var kinds = layout is null ? RosterLayout.All.Select(l => l.Kind).ToList() : [layout.Kind];
        var sheets = await RosterExporter.SheetsAsync(db, kinds, ct);
        var date = TimeZoneInfo.ConvertTime(time.GetUtcNow(), ChinaStandardTime.Zone).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var name = layout?.SheetName ?? "花名册";
        return format == "csv"
            ? TypedResults.File(RosterExporter.Csv(sheets[0].Rows), CsvContentType, $"{name}-{date}.csv")
            : TypedResults.File(RosterExporter.Xlsx(sheets), XlsxContentType, $"{name}-{date}.xlsx");
    }
}
