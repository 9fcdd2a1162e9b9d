using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using MiniExcelLibs;
using Microsoft.EntityFrameworkCore;
using Workflows.Host.Tests.Support;

namespace Workflows.Host.Tests.Rosters;

/// <summary>Builds roster files as a user would (an .xlsx made with MiniExcel, CSV text) and calls the roster endpoints.</summary>
internal static class RosterFiles
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A workbook: each sheet is its rows, the first being the header (cells may be strings, numbers, dates or null).</summary>
    public static byte[] Workbook(params (string Sheet, object?[][] Rows)[] sheets)
    {
        var workbook = new Dictionary<string, object>();
        foreach (var (sheet, rows) in sheets)
        {
            var width = rows.Length == 0 ? 0 : rows.Max(r => r.Length);
            workbook[sheet] = rows.Select(row =>
            {
                var cells = new Dictionary<string, object?>();
                for (var c = 0; c < width; c++) cells[$"c{c:00}"] = c < row.Length ? row[c] : null;
                return cells;
            }).ToList();
        }
        using var stream = new MemoryStream();
        MiniExcel.SaveAs(stream, workbook, printHeader: false, excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    /// <summary>A sheet of a workbook as text rows (header first), empty rows dropped, numbers without ".0".</summary>
    public static List<string[]> Sheet(byte[] workbook, string sheet)
    {
        using var stream = new MemoryStream(workbook);
        var rows = new List<string[]>();
        foreach (IDictionary<string, object?> row in MiniExcel.Query(stream, useHeaderRow: false, sheetName: sheet))
        {
            var cells = row.Values.Select(v => v switch
            {
                null => "",
                double d => d.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => v.ToString()!.Trim(),
            }).ToArray();
            if (cells.Any(c => c.Length > 0)) rows.Add(cells);
        }
        return rows;
    }

    public static List<string> SheetNames(byte[] workbook)
    {
        using var stream = new MemoryStream(workbook);
        return MiniExcel.GetSheetNames(stream);
    }

    /// <summary>CSV text (lines joined with CRLF) as UTF-8 with a BOM.</summary>
    public static byte[] Csv(params string[] lines) => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n")];

    public static Task<HttpResponseMessage> ImportRosterAsync(this HttpClient client, byte[] file, string fileName, bool dryRun = false, string? kind = null) =>
        client.ImportRosterAsync([(file, fileName)], dryRun, kind);

    public static Task<HttpResponseMessage> ImportRosterAsync(this HttpClient client, IEnumerable<(byte[] File, string FileName)> files, bool dryRun = false,
        string? kind = null)
    {
        var form = new MultipartFormDataContent();
        foreach (var (file, fileName) in files)
        {
            var part = new ByteArrayContent(file);
            part.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
                ? "text/csv" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
            form.Add(part, "file", fileName);
        }
        var url = "/api/org/import" + (dryRun ? "?dryRun=true" : "") + (kind is null ? "" : (dryRun ? "&" : "?") + "kind=" + Uri.EscapeDataString(kind));
        return client.PostAsync(url, form, Ct);
    }

    /// <summary>Imports and expects success; returns the summary.</summary>
    public static async Task<JsonObject> ImportRosterOkAsync(this HttpClient client, byte[] file, string fileName, bool dryRun = false, string? kind = null) =>
        await (await client.ImportRosterAsync(file, fileName, dryRun, kind).Expect(HttpStatusCode.OK)).ReadObjectAsync();

    /// <summary>Imports and expects a 400 report; returns its entries.</summary>
    public static async Task<List<JsonObject>> ImportRosterFailsAsync(this HttpClient client, byte[] file, string fileName, string? kind = null)
    {
        var problem = await client.ImportRosterAsync(file, fileName, kind: kind).ExpectProblem(HttpStatusCode.BadRequest);
        return Report(problem);
    }

    public static List<JsonObject> Report(JsonObject problem)
    {
        Assert.True(problem["report"] is JsonArray, $"a report is expected: {problem.ToJsonString()}");
        return problem["report"]!.AsArray().Select(p => (JsonObject)p!).ToList();
    }

    public static async Task<byte[]> ExportAsync(this HttpClient client, string format = "xlsx", string? kind = null)
    {
        var response = await client.GetAsync($"/api/org/export?format={format}" + (kind is null ? "" : $"&kind={kind}"), Ct).Expect(HttpStatusCode.OK);
        return await response.Content.ReadAsByteArrayAsync(Ct);
    }

    /// <summary>"created/updated/unchanged" of one kind of an import summary.</summary>
    public static (int Created, int Updated, int Unchanged) Counts(this JsonObject summary, string kind) =>
        ((int)summary[kind]!["created"]!, (int)summary[kind]!["updated"]!, (int)summary[kind]!["unchanged"]!);

    /// <summary>Rows of units, users and role assignments: what an import may change.</summary>
    public static async Task<(int Units, int Users, int Roles)> CountAsync(TestHost host)
    {
        await using var db = host.OpenDb();
        return (await db.OrgUnits.CountAsync(Ct), await db.Users.CountAsync(Ct), await db.RoleAssignments.CountAsync(Ct));
    }

    /// <summary>Every unit, user and role as text, for before/after comparisons.</summary>
    public static async Task<List<string>> SnapshotAsync(TestHost host)
    {
        await using var db = host.OpenDb();
        var units = await db.OrgUnits.AsNoTracking().OrderBy(u => u.Id).ToListAsync(Ct);
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Id).ToListAsync(Ct);
        var roles = await db.RoleAssignments.AsNoTracking().OrderBy(r => r.Id).ToListAsync(Ct);
        return
        [
            .. units.Select(u => $"unit {u.Id} {u.Kind} {u.Code} {u.Name} {u.ParentId} {u.IsCore}"),
            .. users.Select(u => $"user {u.Id} {u.Name} {u.Email} {u.EmployeeNo} {u.Phone} {u.SchoolId} {u.Subject} {u.Title} {u.IsBackbone} {u.JoinedSchoolOn} {u.BirthYear} {u.Status}"),
            .. roles.Select(r => $"role {r.Id} {r.UserId} {r.Role} {r.ScopeId}"),
        ];
    }
}
