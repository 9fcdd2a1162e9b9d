using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Workflows.Activities.Calendar;
using Workflows.Host.Runtime;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Features.Rosters;

public sealed record RosterCounts(int Created, int Updated, int Unchanged);

/// <summary>What an import did (or, in a dry run, would do), per kind.</summary>
public sealed record RosterImportSummary(bool DryRun, bool CountyCreated, RosterCounts Federations, RosterCounts Schools,
    RosterCounts Teachers, RosterCounts Roles);

/// <summary>Either a summary (nothing was wrong) or the report of every problem found (and nothing written).</summary>
public sealed record RosterImportOutcome(RosterImportSummary? Summary, IReadOnlyList<RosterProblem> Problems)
{
    public bool Succeeded => Problems.Count == 0;
}

/// <summary>
/// Imports a roster all-or-nothing: every row of every sheet is checked against the file and the database first;
/// only a roster without problems is written, in one transaction. Units are matched by code, people by employee
/// number, else by email; the county is the single County unit (created as "county" when missing). Nothing is
/// deleted: a unit, person or role missing from the file stays as it is.
/// </summary>
public static class RosterImporter
{
    public const string CountyId = "county";
    public const string NewCountyName = "县教育局";
    public const string JournalStream = "roster";
    public const string JournalEvent = "RosterImported";

    public static async Task<RosterImportOutcome> ImportAsync(WorkflowsDbContext db, RosterFileContent content, bool dryRun,
        TimeProvider time, Actor actor, CancellationToken ct = default)
    {
        if (content.Tables.Count == 0) return new RosterImportOutcome(null, content.Problems);

        // The checks read the same state the writes change: one transaction from the first read to the commit.
        await using var transaction = dryRun ? null : await db.Database.BeginTransactionAsync(ct);
        IQueryable<T> Read<T>(IQueryable<T> query) where T : class => dryRun ? query.AsNoTracking() : query;
        var units = await Read(db.OrgUnits).ToListAsync(ct);
        var users = await Read(db.Users).ToListAsync(ct);
        var roles = await db.RoleAssignments.AsNoTracking().ToListAsync(ct);

        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, ChinaStandardTime.Zone).DateTime);
        var plan = new RosterPlan(units, users, roles, today);
        plan.Check(content.Tables);
        var problems = content.Problems.Concat(plan.Problems).ToList();
        if (problems.Count > 0) return new RosterImportOutcome(null, Order(problems, content.Tables));

        var summary = plan.Apply(dryRun ? null : db, now, dryRun);
        if (dryRun) return new RosterImportOutcome(summary, []);

        db.Journal.Add(new JournalEntry
        {
            InstanceId = JournalStream,
            Event = JournalEvent,
            Actor = actor.Name,
            At = now,
            Summary = Describe(summary),
            DataJson = JsonSerializer.Serialize(new { actor.UserId, summary }, JsonSerializerOptions.Web),
            RemoteAddress = actor.RemoteAddress,
            Client = actor.Client is { Length: > 300 } client ? client[..300] : actor.Client,
        });
        await db.SaveChangesAsync(ct);
        await transaction!.CommitAsync(ct);
        return new RosterImportOutcome(summary, []);
    }

    public static string Describe(RosterImportSummary s)
    {
        static string Part(string name, RosterCounts c) => $"{name} +{c.Created} ~{c.Updated} ={c.Unchanged}";
        return $"花名册导入 / roster import: {Part("教联体", s.Federations)}; {Part("学校", s.Schools)}; {Part("教师", s.Teachers)}; {Part("角色", s.Roles)}"
            + (s.CountyCreated ? "; 新建县 / county created" : "");
    }

    /// <summary>File problems first, then by sheet (in workbook order), row and column.</summary>
    private static List<RosterProblem> Order(List<RosterProblem> problems, IReadOnlyList<RosterTable> tables)
    {
        int SheetOrder(string? sheet)
        {
            if (sheet is null) return -1;
            var index = tables.ToList().FindIndex(t => t.Sheet == sheet);
            return index < 0 ? tables.Count : index;
        }
        int ColumnOrder(RosterProblem p)
        {
            var table = tables.FirstOrDefault(t => t.Sheet == p.Sheet);
            if (table is null || p.Column is null) return 0;
            var index = Array.FindIndex(table.Layout.Columns, c => table.Header(c.Field) == p.Column);
            return index < 0 ? table.Layout.Columns.Length : index;
        }
        return problems.Select((p, i) => (p, i))
            .OrderBy(x => SheetOrder(x.p.Sheet)).ThenBy(x => x.p.Row ?? 0).ThenBy(x => ColumnOrder(x.p)).ThenBy(x => x.i)
            .Select(x => x.p).ToList();
    }
}
