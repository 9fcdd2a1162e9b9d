using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Host.Tests.Support;
using Workflows.Persistence.Entities;
using Workflows.Testing;
using static Workflows.Host.Tests.Rosters.RosterFiles;

namespace Workflows.Host.Tests.Rosters;

/// <summary>
/// Roster import and export (POST /api/org/import, GET /api/org/export) on a Host seeded with the demo county
/// (federations F1–F3, schools S11–S34, county CTY, teacherN@demo.local with employee number T000N).
/// </summary>
public abstract class RosterImportTests : HostTestBase
{
    private static readonly object?[] FederationHeader = ["编码", "名称", "核心校编码"];
    private static readonly object?[] SchoolHeader = ["编码", "名称", "所属教联体编码", "是否核心校"];
    private static readonly object?[] TeacherHeader = ["姓名", "工号", "邮箱", "手机", "学校编码", "学科", "职称", "骨干教师", "调入本校日期", "出生年份", "状态"];
    private static readonly object?[] RoleHeader = ["邮箱", "角色", "范围编码"];

    private static object?[] Teacher(string? name, string? employeeNo, string? email, string? phone = "13900000000", string? school = "S91",
        string? subject = "语文", string? title = "一级教师", string? backbone = "否", object? joined = null, object? birthYear = null,
        string? status = "在职") =>
        [name, employeeNo, email, phone, school, subject, title, backbone, joined ?? "2020-09-01", birthYear ?? 1990, status];

    /// <summary>A roster with one mistake of every kind the import detects (and a few correct rows between them).</summary>
    private static byte[] RosterWithErrors() => Workbook(
        ("教联体",
        [
            FederationHeader,
            ["F9", "新城教联体", "S91"],
            ["F8", "东湖教联体", null],                   // row 3: no core school given
            ["F7", "西岭教联体", "S12"],                  // row 4: S12 is a school of F1
        ]),
        ("学校",
        [
            SchoolHeader,
            ["S91", "新城第一小学", "F9", "是"],
            ["S92", "新城第二小学", "F9", "是"],          // row 3: a second core school for F9
            ["S93", "新城第三小学", "F99", "否"],         // row 4: unknown federation
            ["S94", "新城第四小学", "F9", "可能"],        // row 5: not 是/否
            ["S11", "城关第一小学", "F1", "否"],          // row 6: F1 is left without a core school
            ["F2", "冲突小学", "F1", "否"],               // row 7: F2 is a federation's code
        ]),
        ("教师",
        [
            [.. TeacherHeader, "备注"],                    // row 1: unknown column 备注
            Teacher("陈新", "N001", "chen.xin@demo.local"),
            Teacher(null, "N002", "n002@demo.local"),                                   // row 3: no name
            Teacher("王重", "N003", "Chen.Xin@demo.local"),                             // row 4: email of row 2
            Teacher("李冲", "X9999", "teacher2@demo.local"),                            // row 5: teacher2 has employee number T0002
            Teacher("赵双", "N001", "zhao@demo.local"),                                 // row 6: employee number of row 2
            Teacher("钱错", "N007", "not-an-email"),                                    // row 7
            Teacher("孙无", "N008", "sun@demo.local", school: "S404"),                  // row 8
            Teacher("周期", "N009", "zhou@demo.local", joined: "2020-13-45"),           // row 9
            Teacher("吴未", "N010", "wu@demo.local", joined: "2030-01-01"),             // row 10: after today (2026-03-02)
            Teacher("郑老", "N011", "zheng@demo.local", birthYear: 1890),               // row 11
            Teacher("冯骨", "N012", "feng@demo.local", backbone: "也许"),               // row 12
            Teacher("褚退", "N013", "chu@demo.local", status: "退休"),                  // row 13
            Teacher("卫电", "N014", "wei@demo.local", phone: "abc"),                    // row 14
        ]),
        ("角色",
        [
            RoleHeader,
            ["chen.xin@demo.local", "教师", "S91"],
            ["chen.xin@demo.local", "超级管理员", "S91"],  // row 3
            ["teacher1@demo.local", "校长", "F1"],         // row 4: a principal is of a school
            ["teacher1@demo.local", "BureauAdmin", "S11"], // row 5: bureau roles are of the county
            ["ghost@demo.local", "教师", "S11"],           // row 6: nobody has this email
            ["teacher1@demo.local", "教联体负责人", "Z9"], // row 7: no unit has code Z9
        ]));

    [Fact]
    public async Task A_roster_with_every_kind_of_error_is_reported_at_its_sheet_row_and_column_and_nothing_is_imported()
    {
        var host = await StartHostAsync();
        var before = await SnapshotAsync(host);
        var counts = await CountAsync(host);

        var problem = await host.Client.ImportRosterAsync(RosterWithErrors(), "花名册.xlsx").ExpectProblem(HttpStatusCode.BadRequest);
        var report = Report(problem);

        (string Sheet, int Row, string Column, string Code)[] expected =
        [
            ("教联体", 3, "核心校编码", "required"),
            ("教联体", 4, "核心校编码", "core-elsewhere"),
            ("学校", 3, "是否核心校", "core-multiple"),
            ("学校", 4, "所属教联体编码", "unknown-federation"),
            ("学校", 5, "是否核心校", "yes-no"),
            ("学校", 6, "是否核心校", "core-missing"),
            ("学校", 7, "编码", "code-conflict"),
            ("教师", 1, "备注", "column-unknown"),
            ("教师", 3, "姓名", "required"),
            ("教师", 4, "邮箱", "duplicate-email"),
            ("教师", 5, "邮箱", "duplicate-email"),
            ("教师", 6, "工号", "duplicate-employee-no"),
            ("教师", 7, "邮箱", "email-format"),
            ("教师", 8, "学校编码", "unknown-school"),
            ("教师", 9, "调入本校日期", "date-format"),
            ("教师", 10, "调入本校日期", "date-future"),
            ("教师", 11, "出生年份", "birth-year-range"),
            ("教师", 12, "骨干教师", "yes-no"),
            ("教师", 13, "状态", "status"),
            ("教师", 14, "手机", "phone-format"),
            ("角色", 3, "角色", "role-unknown"),
            ("角色", 4, "范围编码", "role-scope"),
            ("角色", 5, "范围编码", "role-scope"),
            ("角色", 6, "邮箱", "unknown-user"),
            ("角色", 7, "范围编码", "unknown-scope"),
        ];
        var found = report.Select(p => ((string)p["sheet"]!, (int)p["row"]!, (string)p["column"]!, (string)p["code"]!)).ToList();
        Assert.Equal(expected, found);
        Assert.Equal(expected.Length, (int)problem["total"]!);

        // Every problem says what is wrong in Chinese, then in English after a slash, and shows the value found.
        Assert.All(report, p =>
        {
            var text = (string)p["problem"]!;
            Assert.Contains(" / ", text);
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", text.Split(" / ")[0]);
            Assert.Matches("[A-Za-z]", text.Split(" / ")[^1]);
        });
        string? ValueAt(string sheet, int row, string column) =>
            (string?)report.Single(p => (string)p["sheet"]! == sheet && (int)p["row"]! == row && (string)p["column"]! == column)["value"];
        Assert.Equal("not-an-email", ValueAt("教师", 7, "邮箱"));
        Assert.Equal("2020-13-45", ValueAt("教师", 9, "调入本校日期"));
        Assert.Equal("1890", ValueAt("教师", 11, "出生年份"));
        Assert.Equal("备注", ValueAt("教师", 1, "备注"));
        Assert.Null(ValueAt("教师", 3, "姓名"));
        Assert.Contains("T0002", (string)report.Single(p => (int)p["row"]! == 5 && (string)p["sheet"]! == "教师")["problem"]!);
        Assert.Contains("第 2 行", (string)report.Single(p => (int)p["row"]! == 4 && (string)p["sheet"]! == "教师")["problem"]!);

        // Nothing was written, not even the valid rows; a dry run reports the same.
        Assert.Equal(counts, await CountAsync(host));
        Assert.Equal(before, await SnapshotAsync(host));
        var dry = await host.Client.ImportRosterAsync(RosterWithErrors(), "花名册.xlsx", dryRun: true).ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Equal(expected.Length, Report(dry).Count);
        Assert.Equal(before, await SnapshotAsync(host));
    }

    /// <summary>The roster above with every mistake corrected (and the demo's teacher1 promoted, S14 renamed).</summary>
    private static async Task<byte[]> CorrectedRosterAsync(TestHost host)
    {
        await using var db = host.OpenDb();
        var teacher1 = await db.Users.AsNoTracking().SingleAsync(u => u.Email == SignIn.Teacher1, TestContext.Current.CancellationToken);
        return Workbook(
            ("教联体", [FederationHeader, ["F9", "新城教联体", "S91"], ["F8", "东湖教联体", "S81"]]),
            ("学校",
            [
                SchoolHeader,
                ["S91", "新城第一小学", "F9", "是"],
                ["S92", "新城第二小学", "F9", "否"],
                ["S81", "东湖小学", "F8", "是"],
                ["S14", "城关镇西街小学（新校区）", "F1", "否"],
            ]),
            ("教师",
            [
                TeacherHeader,
                // A date typed as a date and a year typed as a number, as Excel users do.
                Teacher("陈新", "N001", "Chen.Xin@Demo.local", "13900000001", "S91", "语文", "一级教师", "是", new DateTime(2020, 9, 1), 1990),
                Teacher("王重", "N003", "wang.zhong@demo.local", "13900000003", "S92", "数学", "二级教师", "否", "2018-03-15", "1985", "离职"),
                Teacher(teacher1.Name, teacher1.EmployeeNo, teacher1.Email, teacher1.Phone, "S11", teacher1.Subject, "高级教师", teacher1.IsBackbone ? "是" : "否",
                    teacher1.JoinedSchoolOn!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), teacher1.BirthYear, "在职"),
            ]),
            ("角色",
            [
                RoleHeader,
                ["chen.xin@demo.local", "教师", "S91"],
                ["chen.xin@demo.local", "Principal", "S91"],
                ["wang.zhong@demo.local", "教联体负责人", "F9"],
                ["admin@demo.local", "局管理员", "CTY"],
                ["teacher1@demo.local", "教师", "S11"],
            ]));
    }

    [Fact]
    public async Task The_corrected_roster_imports_after_a_dry_run_that_writes_nothing()
    {
        var host = await StartHostAsync();
        var roster = await CorrectedRosterAsync(host);
        var before = await SnapshotAsync(host);

        var dry = await host.Client.ImportRosterOkAsync(roster, "花名册.xlsx", dryRun: true);
        Assert.True((bool)dry["dryRun"]!);
        Assert.Equal(before, await SnapshotAsync(host));

        var summary = await host.Client.ImportRosterOkAsync(roster, "花名册.xlsx");
        Assert.False((bool)summary["dryRun"]!);
        Assert.False((bool)summary["countyCreated"]!);
        foreach (var (kind, expected) in new[] { ("federations", (2, 0, 0)), ("schools", (3, 1, 0)), ("teachers", (2, 1, 0)), ("roles", (3, 0, 2)) })
        {
            Assert.Equal(expected, summary.Counts(kind));
            Assert.Equal(expected, dry.Counts(kind));
        }

        await using (var db = host.OpenDb())
        {
            var units = await db.OrgUnits.AsNoTracking().ToListAsync(Ct);
            var f9 = units.Single(u => u.Code == "F9");
            Assert.Equal((OrgUnit.KindFederation, "新城教联体", "county"), (f9.Kind, f9.Name, f9.ParentId));
            var s91 = units.Single(u => u.Code == "S91");
            Assert.Equal((OrgUnit.KindSchool, f9.Id, true), (s91.Kind, s91.ParentId, s91.IsCore));
            Assert.False(units.Single(u => u.Code == "S92").IsCore);
            Assert.Equal("城关镇西街小学（新校区）", units.Single(u => u.Code == "S14").Name);
            Assert.Equal(1, units.Count(u => u.ParentId == units.Single(x => x.Code == "F1").Id && u.IsCore));

            var chen = await db.Users.AsNoTracking().SingleAsync(u => u.EmployeeNo == "N001", Ct);
            Assert.Equal(("陈新", "chen.xin@demo.local", "13900000001", s91.Id, "语文", "一级教师", true, new DateOnly(2020, 9, 1), 1990, "Active"),
                (chen.Name, chen.Email, chen.Phone, chen.SchoolId, chen.Subject, chen.Title, chen.IsBackbone, chen.JoinedSchoolOn, chen.BirthYear, chen.Status));
            var wang = await db.Users.AsNoTracking().SingleAsync(u => u.EmployeeNo == "N003", Ct);
            Assert.Equal(("Disabled", new DateOnly(2018, 3, 15), 1985), (wang.Status, wang.JoinedSchoolOn, wang.BirthYear));
            Assert.Equal("高级教师", (await db.Users.AsNoTracking().SingleAsync(u => u.Email == SignIn.Teacher1, Ct)).Title);

            var roles = await db.RoleAssignments.AsNoTracking().Where(r => r.UserId == chen.Id || r.UserId == wang.Id).ToListAsync(Ct);
            Assert.Equal(
                new[] { ("Lead", wang.Id, f9.Id), ("Principal", chen.Id, s91.Id), ("Teacher", chen.Id, s91.Id) },
                roles.Select(r => (r.Role, r.UserId, r.ScopeId)).Order().ToArray());
            Assert.Contains(await db.Journal.AsNoTracking().Where(j => j.InstanceId == "roster").ToListAsync(Ct),
                j => j.Event == "RosterImported" && j.Summary!.Contains("教联体 +2"));
        }

        // The same roster again changes nothing.
        var again = await host.Client.ImportRosterOkAsync(roster, "花名册.xlsx");
        foreach (var (kind, expected) in new[] { ("federations", (0, 0, 2)), ("schools", (0, 0, 4)), ("teachers", (0, 0, 3)), ("roles", (0, 0, 5)) })
            Assert.Equal(expected, again.Counts(kind));
    }

    [Fact]
    public async Task Export_then_import_changes_nothing_and_the_export_shows_what_was_imported()
    {
        var host = await StartHostAsync();
        await host.Client.ImportRosterOkAsync(await CorrectedRosterAsync(host), "花名册.xlsx");

        var exported = await host.Client.ExportAsync();
        Assert.Equal(["教联体", "学校", "教师", "角色"], SheetNames(exported));
        var federations = Sheet(exported, "教联体");
        var schools = Sheet(exported, "学校");
        var teachers = Sheet(exported, "教师");
        var roles = Sheet(exported, "角色");
        Assert.Equal(FederationHeader.Cast<string>().ToArray(), federations[0]);
        Assert.Equal(SchoolHeader.Cast<string>().ToArray(), schools[0]);
        Assert.Equal(TeacherHeader.Cast<string>().ToArray(), teachers[0]);
        Assert.Equal(RoleHeader.Cast<string>().ToArray(), roles[0]);
        // What was imported is there, as it was written.
        Assert.Contains(["F9", "新城教联体", "S91"], federations);
        Assert.Contains(["F1", "城关教联体", "S11"], federations);
        Assert.Contains(["S91", "新城第一小学", "F9", "是"], schools);
        Assert.Contains(["S14", "城关镇西街小学（新校区）", "F1", "否"], schools);
        Assert.Contains(["陈新", "N001", "chen.xin@demo.local", "13900000001", "S91", "语文", "一级教师", "是", "2020-09-01", "1990", "在职"], teachers);
        Assert.Contains(["王重", "N003", "wang.zhong@demo.local", "13900000003", "S92", "数学", "二级教师", "否", "2018-03-15", "1985", "离职"], teachers);
        Assert.Contains(["chen.xin@demo.local", "校长", "S91"], roles);
        Assert.Contains(["admin@demo.local", "局管理员", "CTY"], roles);
        await using (var db = host.OpenDb())
        {
            Assert.Equal(await db.OrgUnits.CountAsync(u => u.Kind == OrgUnit.KindFederation, Ct), federations.Count - 1);
            Assert.Equal(await db.OrgUnits.CountAsync(u => u.Kind == OrgUnit.KindSchool, Ct), schools.Count - 1);
            Assert.Equal(await db.Users.CountAsync(Ct), teachers.Count - 1);
            Assert.Equal(await db.RoleAssignments.CountAsync(Ct), roles.Count - 1);
        }

        // Importing the export changes nothing at all.
        var before = await SnapshotAsync(host);
        var summary = await host.Client.ImportRosterOkAsync(exported, "花名册-导出.xlsx");
        Assert.Equal((0, 0, federations.Count - 1), summary.Counts("federations"));
        Assert.Equal((0, 0, schools.Count - 1), summary.Counts("schools"));
        Assert.Equal((0, 0, teachers.Count - 1), summary.Counts("teachers"));
        Assert.Equal((0, 0, roles.Count - 1), summary.Counts("roles"));
        Assert.Equal(before, await SnapshotAsync(host));

        var second = await host.Client.ExportAsync();
        foreach (var sheet in new[] { "教联体", "学校", "教师", "角色" })
            Assert.Equal(Sheet(exported, sheet), Sheet(second, sheet));

        // One kind alone is a workbook with just that sheet.
        var onlySchools = await host.Client.ExportAsync(kind: "schools");
        Assert.Equal(["学校"], SheetNames(onlySchools));
        Assert.Equal(schools, Sheet(onlySchools, "学校"));
    }

    [Fact]
    public async Task CSV_files_import_one_kind_each_and_export_as_UTF8_with_a_BOM()
    {
        var host = await StartHostAsync();
        var client = host.Client;

        // Export of one kind: UTF-8 with BOM, Chinese header; importing it changes nothing.
        var csv = await client.ExportAsync("csv", "teachers");
        Assert.Equal(Encoding.UTF8.GetPreamble(), csv[..3]);
        var lines = Encoding.UTF8.GetString(csv[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', TeacherHeader), lines[0]);
        Assert.Contains(lines, l => l.StartsWith("张晓燕,T0001,teacher1@demo.local,", StringComparison.Ordinal));
        var unchanged = await client.ImportRosterOkAsync(csv, "教师.csv", kind: "teachers");
        Assert.Equal((0, 0, lines.Length - 1), unchanged.Counts("teachers"));
        await client.GetAsync("/api/org/export?format=csv", Ct).ExpectInvalid("kind");
        await client.GetAsync("/api/org/export?format=pdf", Ct).ExpectInvalid("format");

        // A schools file without kind: the header tells. English headers are accepted.
        var school = await client.ImportRosterOkAsync(Csv("Code,Name,FederationCode,IsCore", "S15,城关第五小学,F1,否"), "schools.csv");
        Assert.Equal((1, 0, 0), school.Counts("schools"));

        // Excel on a Chinese Windows saves CSV as GB18030; a file may have only some columns (the others keep their values).
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var gb = Encoding.GetEncoding("GB18030").GetBytes("姓名,邮箱,学校编码,职称\r\n欧阳娜娜,ouyang@demo.local,S15,\"一级教师, 班主任\"\r\n");
        Assert.Equal((1, 0, 0), (await client.ImportRosterOkAsync(gb, "新教师.csv")).Counts("teachers"));
        await using (var db = host.OpenDb())
        {
            var ouyang = await db.Users.AsNoTracking().SingleAsync(u => u.Email == "ouyang@demo.local", Ct);
            var s15 = await db.OrgUnits.AsNoTracking().SingleAsync(u => u.Code == "S15", Ct);
            Assert.Equal(("欧阳娜娜", s15.Id, "一级教师, 班主任", "Active", false), (ouyang.Name, ouyang.SchoolId, ouyang.Title, ouyang.Status, ouyang.IsBackbone));
        }
        var again = Encoding.UTF8.GetString(await client.ExportAsync("csv", "teachers"));
        Assert.Contains("欧阳娜娜,,ouyang@demo.local,,S15,,\"一级教师, 班主任\",否,,,在职", again);

        // A new federation and its schools come as two files of one upload.
        var both = await (await client.ImportRosterAsync(
        [
            (Csv("编码,名称,核心校编码", "F5,南湖教联体,S51"), "教联体.csv"),
            (Csv("编码,名称,所属教联体编码,是否核心校", "S51,南湖中心学校,F5,是", "S52,南湖小学,F5,否"), "学校.csv"),
        ]).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Equal(((1, 0, 0), (2, 0, 0)), (both.Counts("federations"), both.Counts("schools")));

        // Problems in a CSV file are reported at the kind's sheet name and the row Excel shows.
        var before = await SnapshotAsync(host);
        var report = await client.ImportRosterFailsAsync(Csv("邮箱,角色,范围编码", "teacher1@demo.local,教师,S11", "teacher1@demo.local,校长,F1"), "角色.csv", kind: "roles");
        var single = Assert.Single(report);
        Assert.Equal(("角色", 3, "范围编码", "F1", "role-scope"),
            ((string)single["sheet"]!, (int)single["row"]!, (string)single["column"]!, (string)single["value"]!, (string)single["code"]!));
        Assert.Equal(before, await SnapshotAsync(host));
    }

    [Fact]
    public async Task The_sample_roster_in_definitions_imports_into_an_empty_county()
    {
        var host = await StartHostAsync(settings: new Dictionary<string, string?> { ["Workflows:DemoData"] = "false" });
        await using (var db = host.OpenDb())
        {
            var hasher = host.Services.GetRequiredService<IPasswordHasher<UserRecord>>();
            var root = new UserRecord { Id = "u-root", Email = "root@county.local", Name = "系统管理员", Status = "Active", CreatedAt = TestHost.T0 };
            root.PasswordHash = hasher.HashPassword(root, "Root@2026!");
            db.Users.Add(root);
            db.RoleAssignments.Add(new RoleAssignment { UserId = root.Id, Role = "BureauAdmin", ScopeId = "county" });
            await db.SaveChangesAsync(Ct);
        }
        var client = host.CreateClient();
        await client.SignInAsAsync("root@county.local", "Root@2026!");

        var folder = Path.Combine(Paths.RepoRoot, "definitions", "rosters");
        var files = Directory.GetFiles(folder, "*.csv").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(4, files.Count);
        Assert.All(files, f => Assert.Equal(Encoding.UTF8.GetPreamble(), File.ReadAllBytes(f)[..3]));
        var summary = await (await client.ImportRosterAsync(files.Select(f => (File.ReadAllBytes(f), Path.GetFileName(f)))).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.True((bool)summary["countyCreated"]!);
        Assert.Equal(((2, 0, 0), (5, 0, 0), (9, 0, 0), (13, 0, 0)),
            (summary.Counts("federations"), summary.Counts("schools"), summary.Counts("teachers"), summary.Counts("roles")));

        await using (var db = host.OpenDb())
        {
            var county = await db.OrgUnits.AsNoTracking().SingleAsync(u => u.Kind == OrgUnit.KindCounty, Ct);
            Assert.Equal("county", county.Id);
            Assert.Equal(2, await db.OrgUnits.CountAsync(u => u.ParentId == "county", Ct));
            var liu = await db.Users.AsNoTracking().SingleAsync(u => u.EmployeeNo == "J0001", Ct);
            Assert.Equal(["BureauAdmin", "Designer"], await db.RoleAssignments.Where(r => r.UserId == liu.Id && r.ScopeId == "county").Select(r => r.Role).OrderBy(r => r).ToListAsync(Ct));
            Assert.Equal("Disabled", (await db.Users.AsNoTracking().SingleAsync(u => u.EmployeeNo == "T0203", Ct)).Status);
        }

        // Its export imports back unchanged; the county roles have an empty scope (the county has no code).
        var exported = await client.ExportAsync();
        Assert.Contains(["liu.jianguo@example.edu.cn", "局管理员", ""], Sheet(exported, "角色"));
        var again = await client.ImportRosterOkAsync(exported, "导出.xlsx");
        Assert.Equal(((0, 0, 2), (0, 0, 5), (0, 0, 10), (0, 0, 14)),
            (again.Counts("federations"), again.Counts("schools"), again.Counts("teachers"), again.Counts("roles")));
    }

    [Fact]
    public async Task Files_that_are_not_rosters_are_refused_with_a_report_and_change_nothing()
    {
        var host = await StartHostAsync();
        var client = host.Client;
        var before = await SnapshotAsync(host);

        async Task Refused(byte[] file, string name, string code, string? kind = null)
        {
            var report = await client.ImportRosterFailsAsync(file, name, kind);
            Assert.True(report.Any(p => (string)p["code"]! == code), $"{name}: expected {code}, got {new JsonArray([.. report.Select(p => p.DeepClone())]).ToJsonString()}");
        }

        await Refused([], "花名册.xlsx", "file-empty");
        await Refused(Encoding.ASCII.GetBytes("%PDF-1.4 not a roster"), "花名册.pdf", "file-type");
        await Refused([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0], "花名册.xls", "file-type");
        await Refused(Encoding.ASCII.GetBytes("this is not a zip"), "花名册.xlsx", "file-unreadable");
        using (var zip = new MemoryStream())
        {
            using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
                using (var entry = archive.CreateEntry("hello.txt").Open()) entry.Write("hello"u8);
            await Refused(zip.ToArray(), "花名册.xlsx", "file-unreadable");
        }
        var workbook = Workbook(("教师", [TeacherHeader, Teacher("陈新", "N001", "chen.xin@demo.local", school: "S11")]));
        await Refused(workbook, "花名册.csv", "file-type");
        await Refused(Workbook(("Sheet1", [["姓名", "邮箱"], ["陈新", "chen.xin@demo.local"]])), "花名册.xlsx", "sheet-unknown");
        await Refused(Workbook(("教师", [TeacherHeader])), "花名册.xlsx", "file-empty");
        await Refused(Csv("名称,备注", "城关第一小学,x"), "学校.csv", "kind-required");
        await Refused(Csv("编码,名称,核心校编码", "F9,新城教联体,S11"), "教联体.csv", "kind-required", kind: "buildings");

        var missing = await client.ImportRosterFailsAsync(Workbook(("教师", [["姓名", "工号"], ["陈新", "N001"]])), "花名册.xlsx");
        var column = Assert.Single(missing);
        Assert.Equal(("教师", 1, "邮箱", "column-missing"), ((string)column["sheet"]!, (int)column["row"]!, (string)column["column"]!, (string)column["code"]!));

        var notMultipart = await client.PostJson("/api/org/import", """{"file": "roster"}""").ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Equal("file-type", (string)Report(notMultipart).Single()["code"]!);

        Assert.Equal(before, await SnapshotAsync(host));
    }

    [Fact]
    public async Task Only_bureau_administrators_may_import_or_export_the_roster_and_the_last_one_stays_active()
    {
        var host = await StartHostAsync();
        var before = await SnapshotAsync(host);
        var roster = Workbook(("学校", [SchoolHeader, ["S15", "城关第五小学", "F1", "否"]]));

        foreach (var email in new[] { SignIn.Teacher1, SignIn.Personnel, SignIn.Lead1 })
        {
            var client = await host.ClientForAsync(email);
            await client.ImportRosterAsync(roster, "花名册.xlsx").ExpectProblem(HttpStatusCode.Forbidden);
            await client.GetAsync("/api/org/export", Ct).ExpectProblem(HttpStatusCode.Forbidden);
        }
        var anonymous = host.CreateClient();
        await anonymous.ImportRosterAsync(roster, "花名册.xlsx").ExpectProblem(HttpStatusCode.Unauthorized);
        await anonymous.GetAsync("/api/org/export?format=csv&kind=teachers", Ct).ExpectProblem(HttpStatusCode.Unauthorized);

        Assert.Equal(before, await SnapshotAsync(host));
        Assert.Equal((1, 0, 0), (await host.Client.ImportRosterOkAsync(roster, "花名册.xlsx")).Counts("schools"));

        // admin@demo.local is the only bureau administrator: marking them 离职 would lock everyone out.
        var lastAdmin = Assert.Single(await host.Client.ImportRosterFailsAsync(Csv("姓名,工号,邮箱,状态", "王建国,E0001,admin@demo.local,离职"), "教师.csv"));
        Assert.Equal(("教师", 2, "状态", "last-administrator"),
            ((string)lastAdmin["sheet"]!, (int)lastAdmin["row"]!, (string)lastAdmin["column"]!, (string)lastAdmin["code"]!));
    }
}

public sealed class SqliteRosterImportTests : RosterImportTests
{
    private readonly SqliteDatabases _databases = new();
    protected override Task<TestDatabase> NewDatabaseAsync() => Task.FromResult(_databases.Create());
    protected override void Cleanup() => _databases.Dispose();
}

public sealed class PostgreSqlRosterImportTests(PostgresServer server) : RosterImportTests
{
    protected override Task<TestDatabase> NewDatabaseAsync() => new PostgresDatabases(server).CreateAsync();
}
