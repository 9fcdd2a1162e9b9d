using System.Globalization;
using Workflows.Activities.People;
using Workflows.Host.People;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Features.Rosters;

/// <summary>The four kinds of roster sheet; in a workbook each is one sheet, as CSV each is one file.</summary>
public enum RosterKind
{
    Federations,
    Schools,
    Teachers,
    Roles,
}

/// <summary>One column of a roster sheet: its Chinese header (written by the export) and the English names also accepted.</summary>
public sealed record RosterColumn(string Field, string Header, bool Required, params string[] Aliases);

/// <summary>The layout of one kind: sheet name, the names accepted for it, its columns in export order.</summary>
public sealed record RosterSheetLayout(RosterKind Kind, string SheetName, string KindName, string[] SheetAliases, RosterColumn[] Columns)
{
    public RosterColumn Column(string field) => Columns.Single(c => c.Field == field);
}

/// <summary>
/// The roster layout the import reads and the export writes (教联体, 学校, 教师, 角色), and the value vocabularies
/// (是/否, 在职/离职, Chinese role names). Headers are matched ignoring case, spaces, '_' and '-'.
/// </summary>
public static class RosterLayout
{
    public static class Fields
    {
        public const string Code = "code";
        public const string Name = "name";
        public const string CoreSchoolCode = "coreSchoolCode";
        public const string FederationCode = "federationCode";
        public const string IsCore = "isCore";
        public const string EmployeeNo = "employeeNo";
        public const string Email = "email";
        public const string Phone = "phone";
        public const string SchoolCode = "schoolCode";
        public const string Subject = "subject";
        public const string Title = "title";
        public const string Backbone = "backbone";
        public const string JoinedSchoolOn = "joinedSchoolOn";
        public const string BirthYear = "birthYear";
        public const string Status = "status";
        public const string Role = "role";
        public const string ScopeCode = "scopeCode";
    }

    public static readonly RosterSheetLayout Federations = new(RosterKind.Federations, "教联体", "federations", ["Federations", "Federation"],
    [
        new(Fields.Code, "编码", true, "Code", "FederationCode"),
        new(Fields.Name, "名称", true, "Name", "FederationName"),
        new(Fields.CoreSchoolCode, "核心校编码", true, "CoreSchoolCode", "CoreSchool", "Core school code"),
    ]);

    public static readonly RosterSheetLayout Schools = new(RosterKind.Schools, "学校", "schools", ["Schools", "School"],
    [
        new(Fields.Code, "编码", true, "Code", "SchoolCode"),
        new(Fields.Name, "名称", true, "Name", "SchoolName"),
        new(Fields.FederationCode, "所属教联体编码", true, "FederationCode", "Federation", "教联体编码"),
        new(Fields.IsCore, "是否核心校", false, "IsCore", "Core", "CoreSchool", "核心校"),
    ]);

    public static readonly RosterSheetLayout Teachers = new(RosterKind.Teachers, "教师", "teachers", ["Teachers", "Teacher", "Users", "People"],
    [
        new(Fields.Name, "姓名", true, "Name"),
        new(Fields.EmployeeNo, "工号", false, "EmployeeNo", "EmployeeNumber", "Employee number"),
        new(Fields.Email, "邮箱", true, "Email", "E-mail", "Mail", "电子邮箱"),
        new(Fields.Phone, "手机", false, "Phone", "Mobile", "手机号"),
        new(Fields.SchoolCode, "学校编码", false, "SchoolCode", "School"),
        new(Fields.Subject, "学科", false, "Subject"),
        new(Fields.Title, "职称", false, "Title"),
        new(Fields.Backbone, "骨干教师", false, "Backbone", "IsBackbone"),
        new(Fields.JoinedSchoolOn, "调入本校日期", false, "JoinedSchoolOn", "JoinedOn", "Date joined", "Joined"),
        new(Fields.BirthYear, "出生年份", false, "BirthYear", "Birth year"),
        new(Fields.Status, "状态", false, "Status"),
    ]);

    public static readonly RosterSheetLayout Roles = new(RosterKind.Roles, "角色", "roles", ["Roles", "Role", "RoleAssignments"],
    [
        new(Fields.Email, "邮箱", true, "Email", "E-mail", "电子邮箱"),
        new(Fields.Role, "角色", true, "Role"),
        new(Fields.ScopeCode, "范围编码", true, "ScopeCode", "Scope"),
    ]);

    /// <summary>Every layout, in the order of the workbook's sheets (units before the people who refer to them).</summary>
    public static readonly IReadOnlyList<RosterSheetLayout> All = [Federations, Schools, Teachers, Roles];

    public static RosterSheetLayout Of(RosterKind kind) => All.Single(l => l.Kind == kind);

    /// <summary>Finds a layout by the <c>kind</c> parameter or a sheet name: "teachers", "教师", "Teachers"…</summary>
    public static RosterSheetLayout? Find(string? name)
    {
        var key = Key(name);
        if (key.Length == 0) return null;
        return All.FirstOrDefault(l => Key(l.SheetName) == key || Key(l.KindName) == key || l.SheetAliases.Any(a => Key(a) == key));
    }

    /// <summary>The column a header names, or null for an unknown header.</summary>
    public static RosterColumn? FindColumn(RosterSheetLayout layout, string header)
    {
        var key = Key(header);
        if (key.Length == 0) return null;
        return layout.Columns.FirstOrDefault(c => Key(c.Header) == key || Key(c.Field) == key || c.Aliases.Any(a => Key(a) == key));
    }

    /// <summary>Lower case without spaces, '_', '-' or a trailing '*' (a common "required" mark).</summary>
    internal static string Key(string? text) =>
        new string((text ?? "").Where(ch => !char.IsWhiteSpace(ch) && ch is not ('_' or '-' or '*' or '＊')).ToArray()).ToLowerInvariant();

    // ---- Vocabularies -------------------------------------------------------------------------

    public const string Yes = "是";
    public const string No = "否";

    /// <summary>是/否 (also yes/no, true/false, y/n, 1/0); empty is null.</summary>
    public static bool? ParseYesNo(string text, out bool valid)
    {
        valid = true;
        switch (Key(text))
        {
            case "": return null;
            case "是" or "yes" or "y" or "true" or "1" or "√": return true;
            case "否" or "no" or "n" or "false" or "0" or "×": return false;
            default: valid = false; return null;
        }
    }

    public static string YesNo(bool value) => value ? Yes : No;

    public const string StatusActive = "在职";
    public const string StatusInactive = "离职";

    /// <summary>在职 → Active, 离职 → Disabled (also the English names, and Inactive); empty is null.</summary>
    public static string? ParseStatus(string text, out bool valid)
    {
        valid = true;
        switch (Key(text))
        {
            case "": return null;
            case "在职" or "active": return UserStatuses.Active;
            case "离职" or "inactive" or "disabled": return UserStatuses.Disabled;
            default: valid = false; return null;
        }
    }

    public static string StatusText(string status) => status == UserStatuses.Active ? StatusActive : StatusInactive;

    /// <summary>Chinese names of the roles, as the roster writes them.</summary>
    public static readonly IReadOnlyDictionary<string, string> RoleNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Workflows.Activities.People.Roles.Teacher] = "教师",
        [Workflows.Activities.People.Roles.SchoolOffice] = "学校办公室",
        [Workflows.Activities.People.Roles.Principal] = "校长",
        [Workflows.Activities.People.Roles.Lead] = "教联体负责人",
        [Workflows.Activities.People.Roles.BureauPersonnel] = "人事股",
        [Workflows.Activities.People.Roles.BureauAdmin] = "局管理员",
        [Workflows.Activities.People.Roles.Designer] = "流程设计者",
    };

    /// <summary>The stored role for a Chinese or English role name, or null.</summary>
    public static string? ParseRole(string text)
    {
        var key = Key(text);
        if (key.Length == 0) return null;
        foreach (var (role, chinese) in RoleNames)
            if (Key(role) == key || Key(chinese) == key) return role;
        return null;
    }

    public static string RoleText(string role) => RoleNames.TryGetValue(role, out var chinese) ? chinese : role;

    public static string KindText(string unitKind) => unitKind switch
    {
        OrgUnit.KindSchool => "学校 / school",
        OrgUnit.KindFederation => "教联体 / federation",
        OrgUnit.KindCounty => "县（教育局） / county",
        _ => unitKind,
    };

    public static string DateText(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy-M-d", "yyyy/M/d", "yyyy/MM/dd", "yyyy.M.d", "yyyyMMdd", "yyyy年M月d日"];

    /// <summary>A date cell: a date typed in Excel, an Excel serial number, or text such as 2019-09-01.</summary>
    public static DateOnly? ParseDate(RosterCell cell, out bool valid)
    {
        valid = true;
        switch (cell.Raw)
        {
            case DateTime dt: return DateOnly.FromDateTime(dt);
            case DateTimeOffset dto: return DateOnly.FromDateTime(dto.DateTime);
            case double serial when serial >= 1 && serial < 2958466 && Math.Abs(serial - Math.Round(serial)) < 1e-9:
                if (serial is >= 19000101 and <= 29991231) break; // 20190901 typed as a number: parse the text below
                return DateOnly.FromDateTime(DateTime.FromOADate(serial));
        }
        var text = cell.Text.Trim();
        if (text.Length == 0) return null;
        // A date and midnight time, as some spreadsheets write it.
        if (text.EndsWith(" 00:00:00", StringComparison.Ordinal)) text = text[..^9];
        if (DateOnly.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        valid = false;
        return null;
    }
}
