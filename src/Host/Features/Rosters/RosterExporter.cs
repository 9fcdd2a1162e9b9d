using System.Globalization;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using MiniExcelLibs.OpenXml;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Features.Rosters;

/// <summary>
/// Writes the roster in exactly the layout <see cref="RosterReader"/> reads: a header row of the Chinese column
/// names, then one row per unit, person or role assignment, sorted by code / school / email. Importing what it writes
/// changes nothing.
/// </summary>
public static class RosterExporter
{
    /// <summary>Header row then data rows, per kind asked for.</summary>
    public static async Task<IReadOnlyList<(RosterSheetLayout Layout, List<object?[]> Rows)>> SheetsAsync(WorkflowsDbContext db,
        IReadOnlyCollection<RosterKind> kinds, CancellationToken ct = default)
    {
        var units = await db.OrgUnits.AsNoTracking().ToListAsync(ct);
        var byId = units.ToDictionary(u => u.Id, StringComparer.Ordinal);
        string? KeyOfId(string? id) => id is not null && byId.TryGetValue(id, out var unit) ? RosterPlan.KeyOf(unit) : id;
        var county = units.Where(u => u.Kind == OrgUnit.KindCounty).OrderBy(u => u.Id, StringComparer.Ordinal).FirstOrDefault();
        var result = new List<(RosterSheetLayout, List<object?[]>)>();
        List<object?[]> Start(RosterSheetLayout layout) => [layout.Columns.Select(c => (object?)c.Header).ToArray()];

        foreach (var layout in RosterLayout.All.Where(l => kinds.Contains(l.Kind)))
        {
            var rows = Start(layout);
            switch (layout.Kind)
            {
                case RosterKind.Federations:
                    foreach (var federation in units.Where(u => u.Kind == OrgUnit.KindFederation).OrderBy(RosterPlan.KeyOf, StringComparer.Ordinal))
                    {
                        var core = units.Where(u => u.Kind == OrgUnit.KindSchool && u.IsCore && u.ParentId == federation.Id)
                            .Select(RosterPlan.KeyOf).Order(StringComparer.Ordinal).FirstOrDefault();
                        rows.Add([RosterPlan.KeyOf(federation), federation.Name, core]);
                    }
                    break;
                case RosterKind.Schools:
                    foreach (var school in units.Where(u => u.Kind == OrgUnit.KindSchool).OrderBy(RosterPlan.KeyOf, StringComparer.Ordinal))
                        rows.Add([RosterPlan.KeyOf(school), school.Name, KeyOfId(school.ParentId), RosterLayout.YesNo(school.IsCore)]);
                    break;
                case RosterKind.Teachers:
                    var users = await db.Users.AsNoTracking().ToListAsync(ct);
                    foreach (var user in users.OrderBy(u => KeyOfId(u.SchoolId) ?? "", StringComparer.Ordinal)
                                 .ThenBy(u => u.EmployeeNo ?? "", StringComparer.Ordinal).ThenBy(u => u.Email, StringComparer.Ordinal))
                        rows.Add(
                        [
                            user.Name, user.EmployeeNo, user.Email, user.Phone, KeyOfId(user.SchoolId), user.Subject, user.Title,
                            RosterLayout.YesNo(user.IsBackbone),
                            user.JoinedSchoolOn is { } joined ? RosterLayout.DateText(joined) : null,
                            user.BirthYear,
                            RosterLayout.StatusText(user.Status),
                        ]);
                    break;
                case RosterKind.Roles:
                    var emails = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Email, StringComparer.Ordinal, ct);
                    var assignments = await db.RoleAssignments.AsNoTracking().ToListAsync(ct);
                    var roleRows = assignments
                        .Where(a => emails.ContainsKey(a.UserId))
                        .Select(a => new object?[]
                        {
                            emails[a.UserId], RosterLayout.RoleText(a.Role),
                            // The county's code, or nothing (the county) when it has none.
                            county is not null && a.ScopeId == county.Id ? county.Code : KeyOfId(a.ScopeId),
                        })
                        .OrderBy(r => (string?)r[0], StringComparer.Ordinal)
                        .ThenBy(r => Array.IndexOf(Workflows.Activities.People.Roles.All, RosterLayout.ParseRole((string)r[1]!)))
                        .ThenBy(r => (string?)r[2], StringComparer.Ordinal);
                    rows.AddRange(roleRows);
                    break;
            }
            result.Add((layout, rows));
        }
        return result;
    }

    /// <summary>A workbook with one sheet per kind, named as the import expects.</summary>
    public static byte[] Xlsx(IEnumerable<(RosterSheetLayout Layout, List<object?[]> Rows)> sheets)
    {
        var workbook = new Dictionary<string, object>();
        foreach (var (layout, rows) in sheets)
            workbook[layout.SheetName] = rows.Select(row =>
            {
                var cells = new Dictionary<string, object?>(StringComparer.Ordinal);
                for (var c = 0; c < row.Length; c++) cells[RosterReader.ColumnLetters(c)] = row[c];
                return cells;
            }).ToList();
        using var stream = new MemoryStream();
        MiniExcel.SaveAs(stream, workbook, printHeader: false, excelType: ExcelType.XLSX,
            configuration: new OpenXmlConfiguration { FastMode = true, EnableAutoWidth = true, AutoFilter = true, FreezeRowCount = 1 });
        return stream.ToArray();
    }

    /// <summary>CSV of one kind, UTF-8 with BOM.</summary>
    public static byte[] Csv(List<object?[]> rows) =>
        RosterCsv.Write(rows.Select(r => r.Select(v => v switch
        {
            null => null,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => v.ToString(),
        }).ToList()));
}
