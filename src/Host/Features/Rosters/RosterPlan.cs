using System.Globalization;
using System.Text.RegularExpressions;
using Workflows.Host.People;
using Workflows.Persistence;
using Workflows.Persistence.Entities;
using static Workflows.Host.Features.Rosters.RosterLayout.Fields;
using static Workflows.Host.Features.Rosters.RosterProblemCodes;

namespace Workflows.Host.Features.Rosters;

/// <summary>
/// The check and the changes of one import: built over the database's units, users and roles, it reads the sheets
/// (<see cref="Check"/>), collecting every problem, then — when there is none — applies them (<see cref="Apply"/>).
/// Codes and employee numbers compare ignoring case; emails are normalised (trimmed, lower case).
/// </summary>
internal sealed partial class RosterPlan
{
    private const string StatusField = RosterLayout.Fields.Status;

    public const int MinBirthYear = 1940;
    public const int MinAgeInYears = 16;
    public static readonly DateOnly EarliestJoinDate = new(1950, 1, 1);

    private static readonly StringComparer Codes = StringComparer.OrdinalIgnoreCase;

    private readonly List<RoleAssignment> _roles;
    private readonly List<UserRecord> _users;
    private readonly DateOnly _today;
    private readonly OrgUnit? _county;
    private readonly Dictionary<string, OrgUnit> _unitByKey = new(Codes);
    private readonly Dictionary<string, UnitPlan> _federations = new(Codes);
    private readonly Dictionary<string, UnitPlan> _schools = new(Codes);
    private readonly Dictionary<string, UserRecord> _userByEmail = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UserRecord> _userByEmployeeNo = new(Codes);
    private readonly List<PersonPlan> _people = [];
    private readonly Dictionary<string, PersonPlan?> _personByEmail = new(StringComparer.Ordinal);
    private readonly List<RolePlan> _rolePlans = [];
    private readonly HashSet<string> _fileFederationCodes = new(Codes);
    private readonly HashSet<string> _fileSchoolCodes = new(Codes);

    public List<RosterProblem> Problems { get; } = [];

    public RosterPlan(List<OrgUnit> units, List<UserRecord> users, List<RoleAssignment> roles, DateOnly today)
    {
        _roles = roles;
        _users = users;
        _today = today;
        _county = units.Where(u => u.Kind == OrgUnit.KindCounty).OrderBy(u => u.Id, StringComparer.Ordinal).FirstOrDefault();
        var byId = units.ToDictionary(u => u.Id, StringComparer.Ordinal);
        foreach (var unit in units.OrderBy(u => u.Id, StringComparer.Ordinal))
            _unitByKey.TryAdd(KeyOf(unit), unit);
        foreach (var unit in _unitByKey.Values)
        {
            if (unit.Kind is not (OrgUnit.KindFederation or OrgUnit.KindSchool)) continue;
            var plan = new UnitPlan(KeyOf(unit), unit.Kind, unit.Id)
            {
                Existing = unit, Name = unit.Name, IsCore = unit.IsCore,
                ParentKey = unit.ParentId is not null && byId.TryGetValue(unit.ParentId, out var parent) ? KeyOf(parent) : null,
            };
            (unit.Kind == OrgUnit.KindFederation ? _federations : _schools)[plan.Code] = plan;
        }
        foreach (var user in users.OrderBy(u => u.CreatedAt).ThenBy(u => u.Id, StringComparer.Ordinal))
        {
            _userByEmail.TryAdd(EmailAddress.Normalize(user.Email), user);
            if (!string.IsNullOrWhiteSpace(user.EmployeeNo)) _userByEmployeeNo.TryAdd(user.EmployeeNo.Trim(), user);
        }
    }

    /// <summary>The code a unit is known by in the roster: its code, or its id when it has none.</summary>
    public static string KeyOf(OrgUnit unit) => string.IsNullOrWhiteSpace(unit.Code) ? unit.Id : unit.Code.Trim();

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    // ---- Check ------------------------------------------------------------------------------------

    public void Check(IReadOnlyList<RosterTable> tables)
    {
        RosterTable? Of(RosterKind kind) => tables.FirstOrDefault(t => t.Layout.Kind == kind);
        var federations = Of(RosterKind.Federations);
        var schools = Of(RosterKind.Schools);
        // Codes of both unit sheets first, so a school can name a federation of the same file and the reverse.
        foreach (var row in federations?.Rows ?? []) if (row[Code].Text is { Length: > 0 } c) _fileFederationCodes.Add(c);
        foreach (var row in schools?.Rows ?? []) if (row[Code].Text is { Length: > 0 } c) _fileSchoolCodes.Add(c);
        if (federations is not null) CheckFederations(federations);
        if (schools is not null) CheckSchools(schools);
        CheckCoreSchools();
        if (Of(RosterKind.Teachers) is { } teachers) CheckPeople(teachers);
        if (Of(RosterKind.Roles) is { } roles) CheckRoles(roles);
        CheckAdministratorsRemain();
    }

    private void Report(RosterTable table, RosterRow row, string field, string code, string problem)
    {
        var value = row[field].Text;
        Problems.Add(new RosterProblem(table.Sheet, row.Number, table.Header(field), value.Length == 0 ? null : value, problem, code));
    }

    /// <summary>The cell's text; reports a missing value or one longer than <paramref name="max"/> (null then).</summary>
    private string? Required(RosterTable table, RosterRow row, string field, int max)
    {
        if (!table.Has(field)) return null; // reported once, at the header
        var text = row[field].Text;
        if (text.Length == 0)
        {
            Report(table, row, field, RosterProblemCodes.Required, $"“{table.Header(field)}”必须填写 / \"{table.Header(field)}\" is required.");
            return null;
        }
        return Length(table, row, field, text, max);
    }

    /// <summary>The cell's text, or null when empty or the column is absent; <paramref name="ok"/> is false after a report.</summary>
    private string? Optional(RosterTable table, RosterRow row, string field, int max, out bool ok)
    {
        ok = true;
        if (!table.Has(field)) return null;
        var text = row[field].Text;
        if (text.Length == 0) return null;
        var result = Length(table, row, field, text, max);
        ok = result is not null;
        return result;
    }

    private string? Length(RosterTable table, RosterRow row, string field, string text, int max)
    {
        if (text.Length <= max) return text;
        Report(table, row, field, TooLong, $"“{table.Header(field)}”最多 {max} 个字符，这里有 {text.Length} 个 / \"{table.Header(field)}\" takes at most {max} characters, this has {text.Length}.");
        return null;
    }

    private static string UnitText(OrgUnit unit) => $"{RosterLayout.KindText(unit.Kind).Split(" / ")[0]}“{unit.Name}”";

    private void CheckFederations(RosterTable table)
    {
        var seen = new Dictionary<string, int>(Codes);
        foreach (var row in table.Rows)
        {
            var code = Required(table, row, Code, 50);
            var name = Required(table, row, Name, 200);
            var core = Required(table, row, CoreSchoolCode, 50);
            if (code is null) continue;
            if (!seen.TryAdd(code, row.Number))
            {
                Report(table, row, Code, DuplicateCode, $"编码 {code} 与第 {seen[code]} 行重复 / Code {code} repeats row {seen[code]}.");
                continue;
            }
            if (_unitByKey.TryGetValue(code, out var other) && other.Kind != OrgUnit.KindFederation)
            {
                Report(table, row, Code, CodeConflict, $"编码 {code} 已是{UnitText(other)}的编码 / Code {code} already belongs to {other.Kind} \"{other.Name}\".");
                continue;
            }
            if (!_federations.TryGetValue(code, out var plan))
                _federations[code] = plan = new UnitPlan(code, OrgUnit.KindFederation, NewId("fed"));
            plan.Table = table;
            plan.Row = row;
            plan.Name = name ?? plan.Name;
            plan.CoreCode = core;
            plan.CoreUnknown = core is null;
        }
    }

    private void CheckSchools(RosterTable table)
    {
        var seen = new Dictionary<string, int>(Codes);
        foreach (var row in table.Rows)
        {
            var code = Required(table, row, Code, 50);
            var name = Required(table, row, Name, 200);
            var federation = Required(table, row, FederationCode, 50);
            bool? core = null;
            if (table.Has(IsCore))
            {
                var parsed = RosterLayout.ParseYesNo(row[IsCore].Text, out var valid);
                if (!valid)
                    Report(table, row, IsCore, YesNo, $"“{table.Header(IsCore)}”只能填“是”或“否” / \"{table.Header(IsCore)}\" must be 是 (yes) or 否 (no).");
                else core = parsed ?? false;
            }
            if (code is null) continue;
            if (!seen.TryAdd(code, row.Number))
            {
                Report(table, row, Code, DuplicateCode, $"编码 {code} 与第 {seen[code]} 行重复 / Code {code} repeats row {seen[code]}.");
                continue;
            }
            if (_unitByKey.TryGetValue(code, out var other) && other.Kind != OrgUnit.KindSchool)
            {
                Report(table, row, Code, CodeConflict, $"编码 {code} 已是{UnitText(other)}的编码 / Code {code} already belongs to {other.Kind} \"{other.Name}\".");
                continue;
            }
            if (_fileFederationCodes.Contains(code))
            {
                Report(table, row, Code, CodeConflict, $"编码 {code} 已在教联体表中使用 / Code {code} is used in the federations sheet.");
                continue;
            }
            string? parentKey = null;
            if (federation is not null)
            {
                if (_federations.TryGetValue(federation, out var parent)) parentKey = parent.Code;
                else if (_schools.ContainsKey(federation) || _fileSchoolCodes.Contains(federation))
                    Report(table, row, FederationCode, UnknownFederation, $"{federation} 是学校编码，不是教联体编码 / {federation} is a school code, not a federation code.");
                else
                    Report(table, row, FederationCode, UnknownFederation,
                        $"未知的教联体编码 {federation}（教联体表和系统中都没有） / Unknown federation code {federation} (neither in the federations sheet nor in the system).");
            }
            if (!_schools.TryGetValue(code, out var plan))
                _schools[code] = plan = new UnitPlan(code, OrgUnit.KindSchool, NewId("school"));
            plan.Table = table;
            plan.Row = row;
            plan.Name = name ?? plan.Name;
            plan.OldParentKey = plan.Existing is not null ? plan.ParentKey : null;
            if (parentKey is not null) plan.ParentKey = parentKey;
            plan.ExplicitCore = core;
            if (core is { } isCore) plan.IsCore = isCore;
        }
    }

    /// <summary>Every federation the file touches ends with exactly one core school.</summary>
    private void CheckCoreSchools()
    {
        var settled = new HashSet<string>(Codes);
        foreach (var federation in _federations.Values.Where(f => f.Row is not null).OrderBy(f => f.Row!.Number))
        {
            var table = federation.Table!;
            var row = federation.Row!;
            if (federation.CoreUnknown) { settled.Add(federation.Code); continue; }
            var coreCode = federation.CoreCode!;
            if (!_schools.TryGetValue(coreCode, out var core))
            {
                Report(table, row, CoreSchoolCode, UnknownSchool, _federations.ContainsKey(coreCode)
                    ? $"{coreCode} 是教联体编码，不是学校编码 / {coreCode} is a federation code, not a school code."
                    : $"未知的学校编码 {coreCode}（学校表和系统中都没有） / Unknown school code {coreCode} (neither in the schools sheet nor in the system).");
                settled.Add(federation.Code);
                continue;
            }
            if (!Codes.Equals(core.ParentKey, federation.Code))
            {
                Report(table, row, CoreSchoolCode, CoreElsewhere, core.ParentKey is null
                    ? $"核心校 {coreCode} 不属于本教联体 / The core school {coreCode} is not in this federation."
                    : $"核心校 {coreCode} 属于教联体 {core.ParentKey}，不属于本教联体 / The core school {coreCode} is in federation {core.ParentKey}, not in this one.");
                settled.Add(federation.Code);
                continue;
            }
            if (core.ExplicitCore == false)
            {
                Report(core.Table!, core.Row!, IsCore, CoreMismatch,
                    $"教联体表第 {row.Number} 行把本校定为 {federation.Code} 的核心校，这里却填“否” / Row {row.Number} of the federations sheet names this school the core school of {federation.Code}, but this says 否 (no).");
                settled.Add(federation.Code);
                continue;
            }
            core.IsCore = true;
            foreach (var other in _schools.Values.Where(s => s != core && s.IsCore && Codes.Equals(s.ParentKey, federation.Code)).OrderBy(s => s.Row?.Number ?? 0))
            {
                if (other.ExplicitCore == true)
                {
                    Report(other.Table!, other.Row!, IsCore, CoreMultiple,
                        $"教联体 {federation.Code} 的核心校是 {core.Code}（教联体表第 {row.Number} 行），本校不能也是核心校 / The core school of federation {federation.Code} is {core.Code} (federations sheet, row {row.Number}); this school cannot be one too.");
                    settled.Add(federation.Code);
                }
                else other.IsCore = false; // the federations sheet moves the core school
            }
            settled.Add(federation.Code);
        }

        var touched = _schools.Values.Where(s => s.Row is not null).SelectMany(s => new[] { s.ParentKey, s.OldParentKey })
            .OfType<string>().Distinct(Codes).Where(code => !settled.Contains(code) && _federations.ContainsKey(code));
        foreach (var code in touched.Order(Codes))
        {
            var cores = _schools.Values.Where(s => s.IsCore && Codes.Equals(s.ParentKey, code)).OrderBy(s => s.Row?.Number ?? int.MaxValue).ToList();
            if (cores.Count == 1) continue;
            if (cores.Count == 0)
            {
                var member = _schools.Values.Where(s => s.Row is not null && Codes.Equals(s.ParentKey, code)).MinBy(s => s.Row!.Number);
                if (member is not null)
                    Report(member.Table!, member.Row!, member.Table!.Has(IsCore) ? IsCore : FederationCode, CoreMissing,
                        $"教联体 {code} 没有核心校（每个教联体须有且只有一所核心校） / Federation {code} has no core school (each federation has exactly one).");
                else
                {
                    var leaving = _schools.Values.Where(s => s.Row is not null && Codes.Equals(s.OldParentKey, code)).MinBy(s => s.Row!.Number)!;
                    Report(leaving.Table!, leaving.Row!, FederationCode, CoreMissing,
                        $"本校调出后，教联体 {code} 没有核心校 / With this school moved out, federation {code} has no core school.");
                }
                continue;
            }
            var names = string.Join("、", cores.Select(s => s.Code));
            foreach (var school in cores.Where(s => s.Row is not null))
                Report(school.Table!, school.Row!, school.ExplicitCore == true ? IsCore : FederationCode, CoreMultiple,
                    $"教联体 {code} 有 {cores.Count} 所核心校：{names}（只能有一所） / Federation {code} has {cores.Count} core schools: {names} (it takes exactly one).");
        }
    }

    [GeneratedRegex(@"^\+?[0-9][0-9 \-]*[0-9]$")]
    private static partial Regex PhonePattern();

    private void CheckPeople(RosterTable table)
    {
        var seenEmail = new Dictionary<string, int>(StringComparer.Ordinal);
        var seenEmployeeNo = new Dictionary<string, int>(Codes);
        var seenTarget = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in table.Rows)
        {
            var valid = true;
            var name = Required(table, row, Name, 200);
            var rawEmail = Required(table, row, Email, 254);
            var employeeNo = Optional(table, row, EmployeeNo, 50, out var ok);
            valid &= ok && name is not null && rawEmail is not null;

            string? email = null;
            if (rawEmail is not null)
            {
                email = EmailAddress.Normalize(rawEmail);
                if (!EmailAddress.IsValid(email))
                {
                    Report(table, row, Email, EmailFormat, $"邮箱格式不正确：{rawEmail} / Not a valid email address: {rawEmail}.");
                    valid = false;
                    email = null;
                }
            }
            if (email is not null && !seenEmail.TryAdd(email, row.Number))
            {
                Report(table, row, Email, DuplicateEmail, $"邮箱 {email} 与第 {seenEmail[email]} 行重复 / Email {email} repeats row {seenEmail[email]}.");
                valid = false;
            }
            if (email is not null) _personByEmail.TryAdd(email, null);
            if (employeeNo is not null && !seenEmployeeNo.TryAdd(employeeNo, row.Number))
            {
                Report(table, row, EmployeeNo, DuplicateEmployeeNo, $"工号 {employeeNo} 与第 {seenEmployeeNo[employeeNo]} 行重复 / Employee number {employeeNo} repeats row {seenEmployeeNo[employeeNo]}.");
                valid = false;
            }

            // Who the row is: the user with this employee number, else the one with this email.
            UserRecord? target = null;
            if (employeeNo is not null) _userByEmployeeNo.TryGetValue(employeeNo, out target);
            if (email is not null && _userByEmail.TryGetValue(email, out var owner) && owner != target)
            {
                if (target is not null)
                {
                    Report(table, row, Email, DuplicateEmail,
                        $"邮箱 {email} 已属于另一位用户“{owner.Name}”{EmployeeNoText(owner)} / Email {email} already belongs to another user, {owner.Name}{EmployeeNoTextEn(owner)}.");
                    valid = false;
                }
                else if (employeeNo is not null && !string.IsNullOrWhiteSpace(owner.EmployeeNo))
                {
                    Report(table, row, Email, DuplicateEmail,
                        $"邮箱 {email} 已属于工号为 {owner.EmployeeNo} 的用户“{owner.Name}” / Email {email} already belongs to {owner.Name}, employee number {owner.EmployeeNo}.");
                    valid = false;
                }
                else target = owner;
            }
            if (valid && target is not null && !seenTarget.TryAdd(target.Id, row.Number))
            {
                Report(table, row, Email, DuplicateRow, $"与第 {seenTarget[target.Id]} 行是同一个人（{target.Name}） / Same person as row {seenTarget[target.Id]} ({target.Name}).");
                valid = false;
            }

            var phone = Optional(table, row, Phone, 30, out ok);
            valid &= ok;
            if (phone is not null && (!PhonePattern().IsMatch(phone) || phone.Count(char.IsAsciiDigit) is < 7 or > 15))
            {
                Report(table, row, Phone, PhoneFormat, $"手机号格式不正确：{phone} / Not a valid phone number: {phone}.");
                valid = false;
            }

            string? schoolId = null;
            if (Optional(table, row, SchoolCode, 50, out ok) is { } schoolCode)
            {
                if (_schools.TryGetValue(schoolCode, out var school)) schoolId = school.Id;
                else
                {
                    Report(table, row, SchoolCode, UnknownSchool, _federations.ContainsKey(schoolCode) || (_county is not null && Codes.Equals(KeyOf(_county), schoolCode))
                        ? $"{schoolCode} 不是学校编码 / {schoolCode} is not a school code."
                        : $"未知的学校编码 {schoolCode}（学校表和系统中都没有） / Unknown school code {schoolCode} (neither in the schools sheet nor in the system).");
                    valid = false;
                }
            }
            valid &= ok;

            var subject = Optional(table, row, Subject, 50, out ok);
            valid &= ok;
            var title = Optional(table, row, Title, 50, out ok);
            valid &= ok;

            bool? backbone = null;
            if (table.Has(Backbone))
            {
                backbone = RosterLayout.ParseYesNo(row[Backbone].Text, out var yesNo);
                if (!yesNo)
                {
                    Report(table, row, Backbone, YesNo, $"“{table.Header(Backbone)}”只能填“是”或“否” / \"{table.Header(Backbone)}\" must be 是 (yes) or 否 (no).");
                    valid = false;
                }
            }

            DateOnly? joined = null;
            if (table.Has(JoinedSchoolOn))
            {
                joined = RosterLayout.ParseDate(row[JoinedSchoolOn], out var dateOk);
                if (!dateOk)
                {
                    Report(table, row, JoinedSchoolOn, DateFormat, $"日期格式不正确，应为 YYYY-MM-DD（如 2019-09-01） / Not a date; write YYYY-MM-DD (e.g. 2019-09-01).");
                    valid = false;
                }
                else if (joined > _today)
                {
                    Report(table, row, JoinedSchoolOn, DateFuture, $"日期 {RosterLayout.DateText(joined.Value)} 晚于今天 / The date {RosterLayout.DateText(joined.Value)} is in the future.");
                    valid = false;
                }
                else if (joined < EarliestJoinDate)
                {
                    Report(table, row, JoinedSchoolOn, DateFormat, $"日期 {RosterLayout.DateText(joined.Value)} 早于 1950 年，不合理 / The date {RosterLayout.DateText(joined.Value)} is before 1950.");
                    valid = false;
                }
            }

            int? birthYear = null;
            if (table.Has(BirthYear) && row[BirthYear].Text is { Length: > 0 } yearText)
            {
                var maxYear = _today.Year - MinAgeInYears;
                if (!int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year < MinBirthYear || year > maxYear)
                {
                    Report(table, row, BirthYear, BirthYearRange, $"出生年份应在 {MinBirthYear}–{maxYear} 之间 / The birth year must be {MinBirthYear}–{maxYear}.");
                    valid = false;
                }
                else birthYear = year;
            }

            string? status = null;
            if (table.Has(StatusField))
            {
                status = RosterLayout.ParseStatus(row[StatusField].Text, out var statusOk);
                if (!statusOk)
                {
                    Report(table, row, StatusField, RosterProblemCodes.Status, $"“{table.Header(StatusField)}”只能填“在职”或“离职” / \"{table.Header(StatusField)}\" must be 在职 (active) or 离职 (inactive).");
                    valid = false;
                }
            }

            if (!valid) continue;
            var person = new PersonPlan(table, row, target, target?.Id ?? NewId("u"))
            {
                Name = name!, Email = email!, EmployeeNo = employeeNo, Phone = phone, SchoolId = schoolId, Subject = subject, Title = title,
                Backbone = backbone, JoinedSchoolOn = joined, BirthYear = birthYear, Status = status,
            };
            _people.Add(person);
            _personByEmail[email!] = person;
        }
    }

    private static string EmployeeNoText(UserRecord user) => string.IsNullOrWhiteSpace(user.EmployeeNo) ? "" : $"（工号 {user.EmployeeNo}）";
    private static string EmployeeNoTextEn(UserRecord user) => string.IsNullOrWhiteSpace(user.EmployeeNo) ? "" : $" (employee number {user.EmployeeNo})";

    private void CheckRoles(RosterTable table)
    {
        var seen = new Dictionary<(string, string, string), int>();
        foreach (var row in table.Rows)
        {
            var rawEmail = Required(table, row, Email, 254);
            var roleText = Required(table, row, Role, 30);
            var scopeCode = table.Has(ScopeCode) ? Length(table, row, ScopeCode, row[ScopeCode].Text, 50) : null;

            string? userId = null;
            if (rawEmail is not null)
            {
                var email = EmailAddress.Normalize(rawEmail);
                if (_personByEmail.TryGetValue(email, out var person)) userId = person?.Id;
                else if (_userByEmail.TryGetValue(email, out var user)) userId = user.Id;
                else if (!EmailAddress.IsValid(email))
                    Report(table, row, Email, EmailFormat, $"邮箱格式不正确：{rawEmail} / Not a valid email address: {rawEmail}.");
                else
                    Report(table, row, Email, UnknownUser, $"邮箱 {email} 不在教师表中，系统中也没有此用户 / No user has the email {email}, in the teachers sheet or in the system.");
            }

            string? role = null;
            if (roleText is not null && (role = RosterLayout.ParseRole(roleText)) is null)
                Report(table, row, Role, RoleUnknown,
                    $"未知角色“{roleText}”，可用：{string.Join("、", RosterLayout.RoleNames.Values)} / Unknown role \"{roleText}\"; roles are {string.Join(", ", RosterLayout.RoleNames.Keys)}.");

            string? scopeId = null;
            if (role is not null && table.Has(ScopeCode))
            {
                var kind = OrgTree.ScopeKindOf(role)!;
                var roleName = $"“{RosterLayout.RoleText(role)}”";
                var want = RosterLayout.KindText(kind);
                if (string.IsNullOrEmpty(scopeCode))
                {
                    if (kind == OrgUnit.KindCounty) scopeId = _county?.Id ?? RosterImporter.CountyId;
                    else if (scopeCode is not null)
                        Report(table, row, ScopeCode, RosterProblemCodes.Required,
                            $"角色{roleName}须填写范围编码（{want.Split(" / ")[0]}） / The role {role} needs a scope code ({want.Split(" / ")[1]}).");
                }
                else if (Scope(scopeCode) is not { } scope)
                    Report(table, row, ScopeCode, UnknownScope,
                        $"未知的范围编码 {scopeCode}（不是学校、教联体或县的编码） / Unknown scope code {scopeCode} (not the code of a school, federation or the county).");
                else if (scope.Kind != kind)
                    Report(table, row, ScopeCode, RoleScope,
                        $"角色{roleName}的范围必须是{want.Split(" / ")[0]}，{scopeCode} 是{RosterLayout.KindText(scope.Kind).Split(" / ")[0]} / The role {role} must be scoped to a {want.Split(" / ")[1]}; {scopeCode} is a {RosterLayout.KindText(scope.Kind).Split(" / ")[1]}.");
                else scopeId = scope.Id;
            }

            if (userId is null || role is null || scopeId is null) continue;
            if (!seen.TryAdd((userId, role, scopeId), row.Number))
            {
                Report(table, row, Role, DuplicateRow, $"与第 {seen[(userId, role, scopeId)]} 行重复 / Repeats row {seen[(userId, role, scopeId)]}.");
                continue;
            }
            _rolePlans.Add(new RolePlan(userId, role, scopeId));
        }
    }

    /// <summary>Marking every active bureau administrator 离职 would leave nobody able to sign in and manage the system.</summary>
    private void CheckAdministratorsRemain()
    {
        var admins = _roles.Where(r => r.Role == Workflows.Activities.People.Roles.BureauAdmin).Select(r => r.UserId)
            .Concat(_rolePlans.Where(r => r.Role == Workflows.Activities.People.Roles.BureauAdmin).Select(r => r.UserId))
            .ToHashSet(StringComparer.Ordinal);
        var activeBefore = _users.Where(u => admins.Contains(u.Id) && u.Status == UserStatuses.Active).ToList();
        if (activeBefore.Count == 0) return;
        var people = _people.ToDictionary(p => p.Id, StringComparer.Ordinal);
        bool ActiveAfter(string userId) => people.TryGetValue(userId, out var p) && p.Table.Has(StatusField)
            ? (p.Status ?? UserStatuses.Active) == UserStatuses.Active
            : _users.FirstOrDefault(u => u.Id == userId)?.Status == UserStatuses.Active;
        if (admins.Any(ActiveAfter)) return;
        foreach (var person in _people.Where(p => admins.Contains(p.Id)))
            Report(person.Table, person.Row, StatusField, LastAdministrator,
                "不能把所有局管理员都设为离职，至少要保留一位在职的局管理员 / Every bureau administrator would be inactive; keep at least one active.");
    }

    private (string Kind, string Id)? Scope(string code)
    {
        if (_county is not null && (Codes.Equals(code, KeyOf(_county)) || Codes.Equals(code, _county.Id))) return (OrgUnit.KindCounty, _county.Id);
        if (_county is null && Codes.Equals(code, RosterImporter.CountyId)) return (OrgUnit.KindCounty, RosterImporter.CountyId);
        if (_federations.TryGetValue(code, out var federation)) return (OrgUnit.KindFederation, federation.Id);
        if (_schools.TryGetValue(code, out var school)) return (OrgUnit.KindSchool, school.Id);
        return null;
    }

    // ---- Apply ------------------------------------------------------------------------------------

    /// <summary>Makes the changes on the loaded entities (adding new ones to <paramref name="db"/> when given) and counts them.</summary>
    public RosterImportSummary Apply(WorkflowsDbContext? db, DateTimeOffset now, bool dryRun)
    {
        var county = _county;
        var countyCreated = county is null;
        if (county is null)
        {
            county = new OrgUnit { Id = RosterImporter.CountyId, Kind = OrgUnit.KindCounty, Name = RosterImporter.NewCountyName };
            db?.OrgUnits.Add(county);
        }

        var federations = new Counter();
        foreach (var plan in _federations.Values.Where(f => f.Row is not null))
        {
            if (plan.Existing is { } unit)
            {
                var changed = unit.Name != plan.Name || unit.ParentId != county.Id;
                unit.Name = plan.Name;
                unit.ParentId = county.Id;
                federations.Count(changed);
            }
            else
            {
                db?.OrgUnits.Add(new OrgUnit { Id = plan.Id, Kind = OrgUnit.KindFederation, Code = plan.Code, Name = plan.Name, ParentId = county.Id });
                federations.Created++;
            }
        }

        var schools = new Counter();
        foreach (var plan in _schools.Values)
        {
            var parentId = plan.ParentKey is not null && _federations.TryGetValue(plan.ParentKey, out var parent) ? parent.Id : plan.Existing?.ParentId;
            if (plan.Existing is { } unit)
            {
                var changed = unit.Name != plan.Name || unit.ParentId != parentId || unit.IsCore != plan.IsCore;
                unit.Name = plan.Name;
                unit.ParentId = parentId;
                unit.IsCore = plan.IsCore;
                if (plan.Row is not null) schools.Count(changed);
                else if (changed) schools.Updated++; // another school became the core school
            }
            else if (plan.Row is not null)
            {
                db?.OrgUnits.Add(new OrgUnit { Id = plan.Id, Kind = OrgUnit.KindSchool, Code = plan.Code, Name = plan.Name, ParentId = parentId, IsCore = plan.IsCore });
                schools.Created++;
            }
        }

        var people = new Counter();
        foreach (var person in _people)
        {
            var user = person.Target ?? new UserRecord { Id = person.Id, CreatedAt = now, Status = UserStatuses.Active };
            var before = Fields(user);
            var table = person.Table;
            user.Name = person.Name;
            user.Email = person.Email;
            if (table.Has(EmployeeNo)) user.EmployeeNo = person.EmployeeNo;
            if (table.Has(Phone)) user.Phone = person.Phone;
            if (table.Has(SchoolCode)) user.SchoolId = person.SchoolId;
            if (table.Has(Subject)) user.Subject = person.Subject;
            if (table.Has(Title)) user.Title = person.Title;
            if (table.Has(Backbone)) user.IsBackbone = person.Backbone ?? false;
            if (table.Has(JoinedSchoolOn)) user.JoinedSchoolOn = person.JoinedSchoolOn;
            if (table.Has(BirthYear)) user.BirthYear = person.BirthYear;
            if (table.Has(StatusField)) user.Status = person.Status ?? UserStatuses.Active;
            if (person.Target is null)
            {
                db?.Users.Add(user);
                people.Created++;
            }
            else people.Count(Fields(user) != before);
        }

        var roles = new Counter();
        var held = _roles.Select(r => (r.UserId, r.Role, r.ScopeId)).ToHashSet();
        foreach (var plan in _rolePlans)
        {
            if (!held.Add((plan.UserId, plan.Role, plan.ScopeId))) { roles.Unchanged++; continue; }
            db?.RoleAssignments.Add(new RoleAssignment { UserId = plan.UserId, Role = plan.Role, ScopeId = plan.ScopeId });
            roles.Created++;
        }

        return new RosterImportSummary(dryRun, countyCreated, federations.Result, schools.Result, people.Result, roles.Result);
    }

    private static (string, string, string?, string?, string?, string?, string?, bool, DateOnly?, int?, string) Fields(UserRecord u) =>
        (u.Name, u.Email, u.EmployeeNo, u.Phone, u.SchoolId, u.Subject, u.Title, u.IsBackbone, u.JoinedSchoolOn, u.BirthYear, u.Status);

    private sealed class Counter
    {
        public int Created, Updated, Unchanged;
        public void Count(bool changed) { if (changed) Updated++; else Unchanged++; }
        public RosterCounts Result => new(Created, Updated, Unchanged);
    }

    private sealed class UnitPlan(string code, string kind, string id)
    {
        public string Code { get; } = code;
        public string Kind { get; } = kind;
        public string Id { get; } = id;
        public OrgUnit? Existing { get; init; }
        public string Name { get; set; } = "";
        /// <summary>The federation's code (schools), after the file.</summary>
        public string? ParentKey { get; set; }
        /// <summary>The federation's code before the file, for an existing school in the file.</summary>
        public string? OldParentKey { get; set; }
        public bool IsCore { get; set; }
        /// <summary>是否核心校 as the schools sheet says it (null: not given).</summary>
        public bool? ExplicitCore { get; set; }
        public string? CoreCode { get; set; }
        public bool CoreUnknown { get; set; }
        public RosterTable? Table { get; set; }
        public RosterRow? Row { get; set; }
    }

    private sealed class PersonPlan(RosterTable table, RosterRow row, UserRecord? target, string id)
    {
        public RosterTable Table { get; } = table;
        public RosterRow Row { get; } = row;
        public UserRecord? Target { get; } = target;
        public string Id { get; } = id;
        public required string Name { get; init; }
        public required string Email { get; init; }
        public string? EmployeeNo { get; init; }
        public string? Phone { get; init; }
        public string? SchoolId { get; init; }
        public string? Subject { get; init; }
        public string? Title { get; init; }
        public bool? Backbone { get; init; }
        public DateOnly? JoinedSchoolOn { get; init; }
        public int? BirthYear { get; init; }
        public string? Status { get; init; }
    }

    private sealed record RolePlan(string UserId, string Role, string ScopeId);
}
