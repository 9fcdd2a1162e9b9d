using System.Collections.Concurrent;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Workflows.Activities.People;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.People;

/// <summary>
/// A small but real county for demos and tests: 示例县 with 3 federations of 4 schools each (one core school),
/// a principal and a school office per school, a lead per federation, bureau staff and about 400 teachers.
/// Deterministic (a seeded Random), so tests can rely on the well-known accounts below.
/// </summary>
public static class DemoOrganization
{
    public const string CountyId = "county";
    public const string AdminEmail = "admin@demo.local";            // BureauAdmin + Designer of the county
    public const string PersonnelEmail = "personnel@demo.local";    // BureauPersonnel (人事股)
    public const string DesignerEmail = "designer@demo.local";      // Designer only
    public const string Lead1Email = "lead1@demo.local";            // Lead of federation fed-1
    public const string Principal1Email = "principal1@demo.local";  // Principal of school-1-1 (core school of fed-1)
    public const string Office1Email = "office1@demo.local";        // SchoolOffice of school-1-1
    public const string Teacher1Email = "teacher1@demo.local";      // Teacher at school-1-1
    public const string Teacher2Email = "teacher2@demo.local";      // Teacher at school-1-1 too
    public const int TeacherCount = 400;

    /// <summary>Federation i (1..3) is "fed-i"; its schools are "school-i-1" (the core school) to "school-i-4".</summary>
    public static string FederationId(int federation) => $"fed-{federation}";
    public static string SchoolId(int federation, int school) => $"school-{federation}-{school}";

    private static readonly (string Town, string[] Schools)[] Federations =
    [
        ("城关", ["城关第一小学", "城关第二小学", "城关镇东街小学", "城关镇西街小学"]),
        ("青山", ["青山镇中心学校", "青山镇红旗小学", "青山镇石桥小学", "青山镇柳林小学"]),
        ("河西", ["河西镇中心学校", "河西镇新华小学", "河西镇白沙小学", "河西镇枫树小学"]),
    ];

    private static readonly string[] Surnames =
        ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹"];
    private static readonly string[] GivenNames =
        ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平",
         "刚", "桂英", "建华", "晓燕", "志强", "海燕", "丽华", "文博", "子涵", "雨轩", "思远", "佳怡", "俊杰", "欣怡", "浩然", "梦琪"];
    private static readonly string[] Subjects = ["语文", "数学", "英语", "科学", "道德与法治", "音乐", "美术", "体育", "信息技术", "物理", "化学", "历史", "地理", "生物"];
    private static readonly string[] Titles = ["三级教师", "二级教师", "二级教师", "一级教师", "一级教师", "一级教师", "高级教师", "高级教师", "正高级教师"];

    private static readonly ConcurrentDictionary<string, string> DemoHashes = new(StringComparer.Ordinal);

    /// <summary>Creates the organisation unless the county already exists; returns whether it did.</summary>
    public static async Task<bool> SeedAsync(WorkflowsDbContext db, TimeProvider time, string password, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        if (await db.OrgUnits.AnyAsync(u => u.Id == CountyId, ct)) return false;

        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var random = new Random(2026);
        // One hash for every demo account: they share the password anyway, and hashing ~450 times would take seconds
        // (kept for the process: tests seed a database per Host).
        var hash = DemoHashes.GetOrAdd(password, p => new PasswordHasher<UserRecord>().HashPassword(new UserRecord(), p));
        var users = new List<UserRecord>();
        var roles = new List<RoleAssignment>();

        string RandomName() => Surnames[random.Next(Surnames.Length)] + GivenNames[random.Next(GivenNames.Length)];
        UserRecord AddUser(string id, string email, string name, string? schoolId, params (string Role, string Scope)[] held)
        {
            var user = new UserRecord
            {
                Id = id, Email = email, Name = name, SchoolId = schoolId, Status = UserStatuses.Active, PasswordHash = hash, CreatedAt = now,
                EmployeeNo = $"E{users.Count + 1:0000}", Phone = $"1380000{users.Count + 1:0000}",
            };
            users.Add(user);
            roles.AddRange(held.Select(h => new RoleAssignment { UserId = id, Role = h.Role, ScopeId = h.Scope }));
            return user;
        }

        db.OrgUnits.Add(new OrgUnit { Id = CountyId, Kind = OrgUnit.KindCounty, Name = "示例县", Code = "CTY" });
        var schools = new List<string>();
        for (var f = 1; f <= Federations.Length; f++)
        {
            var (town, names) = Federations[f - 1];
            db.OrgUnits.Add(new OrgUnit { Id = FederationId(f), Kind = OrgUnit.KindFederation, Name = $"{town}教联体", ParentId = CountyId, Code = $"F{f}" });
            for (var s = 1; s <= names.Length; s++)
            {
                db.OrgUnits.Add(new OrgUnit
                {
                    Id = SchoolId(f, s), Kind = OrgUnit.KindSchool, Name = names[s - 1], ParentId = FederationId(f), IsCore = s == 1, Code = $"S{f}{s}",
                });
                schools.Add(SchoolId(f, s));
            }
        }

        AddUser("u-admin", AdminEmail, "王建国", null, (Roles.BureauAdmin, CountyId), (Roles.Designer, CountyId)).Title = "信息中心主任";
        AddUser("u-personnel", PersonnelEmail, "李淑芬", null, (Roles.BureauPersonnel, CountyId)).Title = "人事股股长";
        AddUser("u-designer", DesignerEmail, "赵立新", null, (Roles.Designer, CountyId));
        for (var f = 1; f <= Federations.Length; f++)
            AddUser($"u-lead{f}", $"lead{f}@demo.local", RandomName(), SchoolId(f, 1), (Roles.Lead, FederationId(f))).Title = "教联体负责人";
        for (var i = 0; i < schools.Count; i++)
        {
            var n = i + 1;
            AddUser($"u-principal{n}", $"principal{n}@demo.local", RandomName(), schools[i], (Roles.Principal, schools[i])).Title = "校长";
            AddUser($"u-office{n}", $"office{n}@demo.local", RandomName(), schools[i], (Roles.SchoolOffice, schools[i])).Title = "办公室主任";
        }

        for (var n = 1; n <= TeacherCount; n++)
        {
            // The first two teachers are at school-1-1 (with principal1, office1 and lead1); the rest spread out, core schools larger.
            var school = n <= 2 ? schools[0] : PickSchool(random, schools);
            var teacher = AddUser($"u-teacher{n}", $"teacher{n}@demo.local", RandomName(), school, (Roles.Teacher, school));
            teacher.EmployeeNo = $"T{n:0000}";
            teacher.Subject = Subjects[random.Next(Subjects.Length)];
            teacher.Title = Titles[random.Next(Titles.Length)];
            teacher.IsBackbone = random.NextDouble() < 0.15;
            var yearsAtSchool = random.Next(0, 16);
            teacher.JoinedSchoolOn = today.AddYears(-yearsAtSchool).AddDays(-random.Next(0, 365));
            teacher.BirthYear = today.Year - yearsAtSchool - random.Next(23, 36);
        }
        // teacher1 is a backbone teacher due for rotation (≥ 6 years at the school), so demos of 交流轮岗 have a subject.
        var teacher1 = users.Single(u => u.Email == Teacher1Email);
        teacher1.Name = "张晓燕";
        teacher1.IsBackbone = true;
        teacher1.Title = "一级教师";
        teacher1.JoinedSchoolOn = today.AddYears(-7);
        teacher1.BirthYear = today.Year - 35;

        db.Users.AddRange(users);
        db.RoleAssignments.AddRange(roles);
        await db.SaveChangesAsync(ct);
        return true;
    }

    private static string PickSchool(Random random, List<string> schools)
    {
        // Core schools (every fourth, the first of each federation) weigh 4, member schools 3.
        var total = schools.Count / 4 * 4 + (schools.Count - schools.Count / 4) * 3;
        var pick = random.Next(total);
        for (var i = 0; i < schools.Count; i++)
        {
            pick -= i % 4 == 0 ? 4 : 3;
            if (pick < 0) return schools[i];
        }
        return schools[^1];
    }
}
