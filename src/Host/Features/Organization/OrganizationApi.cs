using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Workflows.Activities.People;
using Workflows.Host.Api;
using Workflows.Host.Features.Auth;
using Workflows.Host.People;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Features.Organization;

/// <summary>The roster: units, people and their roles. BureauAdmin changes it; BureauPersonnel reads it.</summary>
public static class OrganizationApi
{
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 128;

    public sealed record UnitView(string Id, string Kind, string Name, string? Code, bool IsCore, IReadOnlyList<UnitView> Children);
    public sealed record AssignmentView(long Id, string Role, string ScopeId);
    public sealed record UserView(string Id, string Name, string Email, string? EmployeeNo, string? Phone, string? SchoolId, string? SchoolName,
        string? Subject, string? Title, bool IsBackbone, DateOnly? JoinedSchoolOn, int? BirthYear, string Status, bool HasPassword,
        IReadOnlyList<AssignmentView> Roles);

    public static RouteGroupBuilder MapOrganizationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/org").WithTags("Organization").RequireAuthorization(AuthPolicies.BureauStaff);
        api.MapGet("/units", UnitsAsync);
        api.MapGet("/users", UsersAsync);
        api.MapGet("/users/{id}", UserAsync);
        api.MapPost("/users", CreateUserAsync).RequireAuthorization(AuthPolicies.Administrators);
        api.MapPut("/users/{id}", UpdateUserAsync).RequireAuthorization(AuthPolicies.Administrators);
        api.MapPost("/users/{id}/roles", AddRoleAsync).RequireAuthorization(AuthPolicies.Administrators);
        api.MapDelete("/users/{id}/roles/{assignmentId:long}", RemoveRoleAsync).RequireAuthorization(AuthPolicies.Administrators);
        api.MapPost("/users/{id}/password", SetPasswordAsync).RequireAuthorization(AuthPolicies.Administrators);
        return api;
    }

    public static async Task<IResult> UnitsAsync(WorkflowsDbContext db, CancellationToken ct)
    {
        var tree = await OrgTree.LoadAsync(db, ct);
        UnitView View(OrgUnit u, HashSet<string> path) => new(u.Id, u.Kind, u.Name, u.Code, u.IsCore,
            Order(tree.ChildrenOf(u.Id)).Where(c => path.Add(c.Id)).Select(c => View(c, path)).ToList());
        var roots = tree.Units.Where(u => tree.Find(u.ParentId) is null);
        return TypedResults.Ok(Order(roots).Select(r => View(r, [r.Id])).ToList());
    }

    private static IEnumerable<OrgUnit> Order(IEnumerable<OrgUnit> units) =>
        units.OrderByDescending(u => u.IsCore).ThenBy(u => u.Code ?? u.Name, StringComparer.Ordinal).ThenBy(u => u.Id, StringComparer.Ordinal);

    /// <summary>People, optionally of one unit (a school, or every school of a federation) and matching q (name, email or employee number).</summary>
    public static async Task<IResult> UsersAsync(WorkflowsDbContext db, string? schoolId, string? q, int? page, int? pageSize, CancellationToken ct)
    {
        if (page is < 1) return ProblemResults.Validation("page", "page 必须 ≥ 1 / page must be ≥ 1.");
        if (pageSize is < 1 or > 200) return ProblemResults.Validation("pageSize", "pageSize 必须在 1–200 之间 / pageSize must be from 1 to 200.");
        var query = db.Users.AsNoTracking();
        var tree = await OrgTree.LoadAsync(db, ct);
        if (!string.IsNullOrWhiteSpace(schoolId))
        {
            var unit = tree.Find(schoolId);
            if (unit is null) return ProblemResults.Validation("schoolId", $"没有编号为 {schoolId} 的单位 / There is no unit '{schoolId}'.");
            var schools = unit.Kind == OrgUnit.KindCounty ? null : tree.SchoolsUnder([unit.Id]);
            if (schools is not null) query = query.Where(u => u.SchoolId != null && schools.Contains(u.SchoolId));
        }
        if (!string.IsNullOrWhiteSpace(q))
        {
            var text = q.Trim();
            var lower = text.ToLowerInvariant();
            query = query.Where(u => u.Name.Contains(text) || u.Email.Contains(lower) || u.EmployeeNo == text);
        }
        var size = pageSize ?? 50;
        var total = await query.CountAsync(ct);
        var users = await query.OrderBy(u => u.Name).ThenBy(u => u.Id).Skip(((page ?? 1) - 1) * size).Take(size).ToListAsync(ct);
        var ids = users.Select(u => u.Id).ToList();
        var roles = (await db.RoleAssignments.AsNoTracking().Where(a => ids.Contains(a.UserId)).ToListAsync(ct)).ToLookup(a => a.UserId);
        return TypedResults.Ok(new { total, page = page ?? 1, pageSize = size, items = users.Select(u => View(u, roles[u.Id], tree)).ToList() });
    }

    public static async Task<IResult> UserAsync(string id, WorkflowsDbContext db, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return UserNotFound(id);
        var roles = await db.RoleAssignments.AsNoTracking().Where(a => a.UserId == id).ToListAsync(ct);
        return TypedResults.Ok(View(user, roles, await OrgTree.LoadAsync(db, ct)));
    }

    public static async Task<IResult> CreateUserAsync(HttpContext http, WorkflowsDbContext db, IPasswordHasher<UserRecord> hasher, TimeProvider time,
        CancellationToken ct)
    {
        var (body, error) = await ProblemResults.ReadObjectAsync(http.Request);
        if (error is not null) return error;
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors.TryAdd(field, [message]);

        var name = Text(body!, "name", 200, Fail);
        if (string.IsNullOrWhiteSpace(name)) Fail("name", "请填写姓名 / name is required.");
        var email = EmailAddress.Normalize(Text(body!, "email", 254, Fail));
        if (!EmailAddress.IsValid(email)) Fail("email", "邮箱格式不正确 / email must be an email address.");
        else if (await db.Users.AnyAsync(u => u.Email == email, ct)) Fail("email", $"已有人员使用邮箱 {email} / There is already a user with the email {email}.");
        var schoolId = Text(body!, "schoolId", 64, Fail);
        if (!string.IsNullOrWhiteSpace(schoolId) && !await db.OrgUnits.AnyAsync(o => o.Id == schoolId && o.Kind == OrgUnit.KindSchool, ct))
            Fail("schoolId", $"没有编号为 {schoolId} 的学校 / There is no school '{schoolId}'.");
        var password = Text(body!, "password", MaxPasswordLength, Fail);
        if (password is not null && password.Length < MinPasswordLength) Fail("password", $"密码至少 {MinPasswordLength} 位 / password must have at least {MinPasswordLength} characters.");
        var employeeNo = Text(body!, "employeeNo", 50, Fail);
        var phone = Text(body!, "phone", 30, Fail);
        var subject = Text(body!, "subject", 50, Fail);
        var title = Text(body!, "title", 50, Fail);
        var isBackbone = false;
        if (body!["isBackbone"] is { } backbone)
        {
            if (backbone is JsonValue bv && bv.TryGetValue<bool>(out var b)) isBackbone = b;
            else Fail("isBackbone", "应为是或否 / isBackbone must be true or false.");
        }
        DateOnly? joined = null;
        if (Text(body, "joinedSchoolOn", 10, Fail) is { } joinedText)
        {
            if (DateOnly.TryParseExact(joinedText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) joined = d;
            else Fail("joinedSchoolOn", "日期格式应为 YYYY-MM-DD（如 2019-09-01） / joinedSchoolOn must be a date like 2019-09-01.");
        }
        int? birthYear = null;
        if (body["birthYear"] is { } by)
        {
            if (by is JsonValue byv && byv.TryGetValue<int>(out var y) && y is >= 1900 and <= 2100) birthYear = y;
            else Fail("birthYear", "出生年份应为 1900 至 2100 之间的四位数字 / birthYear must be a year like 1985.");
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: ProblemResults.InvalidRequest);

        var user = new UserRecord
        {
            Id = Guid.NewGuid().ToString("N"), Email = email, Name = name!.Trim(), SchoolId = string.IsNullOrWhiteSpace(schoolId) ? null : schoolId,
            EmployeeNo = employeeNo, Phone = phone, Subject = subject, Title = title, IsBackbone = isBackbone, JoinedSchoolOn = joined,
            BirthYear = birthYear, Status = UserStatuses.Active, CreatedAt = time.GetUtcNow(),
        };
        if (password is not null) user.PasswordHash = hasher.HashPassword(user, password);
        db.Users.Add(user);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException)
        {
            // Another request took the address between the check above and the insert.
            if (await EmailTakenAsync(email, http, ct)) return ProblemResults.Validation("email", $"已有人员使用邮箱 {email} / There is already a user with the email {email}.");
            throw;
        }
        return TypedResults.Created($"/api/org/users/{user.Id}", View(user, [], await OrgTree.LoadAsync(db, ct)));
    }

    /// <summary>
    /// Changes a person's details. Each field present in the body is set (JSON null clears an optional one); a field left
    /// out keeps its value. Name and email cannot be cleared. Every bad field is answered at once, naming it, and nothing
    /// is changed. A teacher moved to another school keeps the Teacher role, now at the new school.
    /// </summary>
    public static async Task<IResult> UpdateUserAsync(string id, HttpContext http, WorkflowsDbContext db, CancellationToken ct)
    {
        var (body, error) = await ProblemResults.ReadObjectAsync(http.Request);
        if (error is not null) return error;
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return UserNotFound(id);
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors.TryAdd(field, [message]);
        bool Has(string field) => body!.ContainsKey(field);

        string? name = user.Name, email = user.Email;
        if (Has("name"))
        {
            name = Text(body!, "name", 200, Fail);
            if (string.IsNullOrWhiteSpace(name)) Fail("name", "请填写姓名 / name is required.");
        }
        if (Has("email"))
        {
            email = EmailAddress.Normalize(Text(body!, "email", 254, Fail));
            if (!EmailAddress.IsValid(email)) Fail("email", "邮箱格式不正确 / email must be an email address.");
            else if (await db.Users.AnyAsync(u => u.Email == email && u.Id != id, ct))
                Fail("email", $"已有人员使用邮箱 {email} / There is already a user with the email {email}.");
        }
        var schoolId = user.SchoolId;
        if (Has("schoolId"))
        {
            schoolId = Text(body!, "schoolId", 64, Fail);
            if (string.IsNullOrWhiteSpace(schoolId)) schoolId = null;
            else if (!await db.OrgUnits.AnyAsync(o => o.Id == schoolId && o.Kind == OrgUnit.KindSchool, ct))
                Fail("schoolId", $"没有编号为 {schoolId} 的学校 / There is no school '{schoolId}'.");
        }
        string? Optional(string field, int maxLength, string? current) =>
            Has(field) ? Text(body!, field, maxLength, Fail) is { } t && !string.IsNullOrWhiteSpace(t) ? t.Trim() : null : current;
        var employeeNo = Optional("employeeNo", 50, user.EmployeeNo);
        var phone = Optional("phone", 30, user.Phone);
        var subject = Optional("subject", 50, user.Subject);
        var title = Optional("title", 50, user.Title);
        var isBackbone = user.IsBackbone;
        if (Has("isBackbone"))
        {
            if (body!["isBackbone"] is JsonValue bv && bv.TryGetValue<bool>(out var b)) isBackbone = b;
            else Fail("isBackbone", "应为是或否 / isBackbone must be true or false.");
        }
        var joined = user.JoinedSchoolOn;
        if (Has("joinedSchoolOn"))
        {
            joined = null;
            if (Text(body!, "joinedSchoolOn", 10, Fail) is { Length: > 0 } joinedText)
            {
                if (DateOnly.TryParseExact(joinedText.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) joined = d;
                else Fail("joinedSchoolOn", "日期格式应为 YYYY-MM-DD（如 2019-09-01） / joinedSchoolOn must be a date like 2019-09-01.");
            }
        }
        var birthYear = user.BirthYear;
        if (Has("birthYear"))
        {
            birthYear = null;
            if (body!["birthYear"] is { } by)
            {
                if (by is JsonValue byv && byv.TryGetValue<int>(out var y) && y is >= 1900 and <= 2100) birthYear = y;
                else Fail("birthYear", "出生年份应为 1900 至 2100 之间的四位数字 / birthYear must be a year like 1985.");
            }
        }
        var status = user.Status;
        if (Has("status"))
        {
            status = Text(body!, "status", 20, Fail);
            if (status is not (UserStatuses.Active or UserStatuses.Disabled))
                Fail("status", $"状态应为 {UserStatuses.Active} 或 {UserStatuses.Disabled} / status must be {UserStatuses.Active} or {UserStatuses.Disabled}.");
            else if (status == UserStatuses.Disabled && user.Status != UserStatuses.Disabled
                     && await db.RoleAssignments.AnyAsync(a => a.UserId == id && a.Role == Roles.BureauAdmin, ct)
                     && !await db.RoleAssignments.AnyAsync(a => a.Role == Roles.BureauAdmin && a.UserId != id
                         && db.Users.Any(u => u.Id == a.UserId && u.Status == UserStatuses.Active), ct))
                Fail("status", "这是最后一位系统管理员，不能停用 / This is the last active BureauAdmin; it cannot be disabled.");
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: ProblemResults.InvalidRequest);

        // A teacher moved to another school teaches there now.
        if (schoolId is not null && user.SchoolId is { } oldSchool && schoolId != oldSchool)
        {
            var teaching = await db.RoleAssignments.Where(a => a.UserId == id && a.Role == Roles.Teacher && a.ScopeId == oldSchool).ToListAsync(ct);
            var already = await db.RoleAssignments.AnyAsync(a => a.UserId == id && a.Role == Roles.Teacher && a.ScopeId == schoolId, ct);
            foreach (var assignment in teaching)
            {
                db.RoleAssignments.Remove(assignment);
                if (!already) { db.RoleAssignments.Add(new RoleAssignment { UserId = id, Role = Roles.Teacher, ScopeId = schoolId }); already = true; }
            }
        }
        user.Name = name!.Trim();
        user.Email = email;
        user.SchoolId = schoolId;
        user.EmployeeNo = employeeNo;
        user.Phone = phone;
        user.Subject = subject;
        user.Title = title;
        user.IsBackbone = isBackbone;
        user.JoinedSchoolOn = joined;
        user.BirthYear = birthYear;
        user.Status = status!;
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException)
        {
            // Another request took the address between the check above and the update.
            if (email != null && await EmailTakenAsync(email, http, ct))
                return ProblemResults.Validation("email", $"已有人员使用邮箱 {email} / There is already a user with the email {email}.");
            throw;
        }
        var roles = await db.RoleAssignments.AsNoTracking().Where(a => a.UserId == id).ToListAsync(ct);
        return TypedResults.Ok(View(user, roles, await OrgTree.LoadAsync(db, ct)));
    }

    private static async Task<bool> EmailTakenAsync(string email, HttpContext http, CancellationToken ct)
    {
        // The context that failed still holds the new user; ask a fresh one.
        await using var db = await http.RequestServices.GetRequiredService<IDbContextFactory<WorkflowsDbContext>>().CreateDbContextAsync(ct);
        return await db.Users.AnyAsync(u => u.Email == email, ct);
    }

    /// <summary>Gives a role in a unit of the kind the role needs: Principal/SchoolOffice/Teacher a school, Lead a federation, bureau roles the county.</summary>
    public static async Task<IResult> AddRoleAsync(string id, HttpContext http, WorkflowsDbContext db, CancellationToken ct)
    {
        var (body, error) = await ProblemResults.ReadObjectAsync(http.Request);
        if (error is not null) return error;
        if (!await db.Users.AnyAsync(u => u.Id == id, ct)) return UserNotFound(id);
        var role = AuthApi.StringField(body!, "role");
        if (role is null || !Roles.All.Contains(role, StringComparer.Ordinal))
            return ProblemResults.Validation("role", $"角色（role）必须是 {string.Join("、", Roles.All)} 之一 / role must be one of {string.Join(", ", Roles.All)}.");
        var scopeId = AuthApi.StringField(body!, "scopeId");
        if (string.IsNullOrWhiteSpace(scopeId)) return ProblemResults.Validation("scopeId", "请选择任职单位（scopeId，单位编号） / scopeId is required (the id of a unit).");
        var scope = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(o => o.Id == scopeId, ct);
        if (scope is null) return ProblemResults.Validation("scopeId", $"没有编号为 {scopeId} 的单位 / There is no unit '{scopeId}'.");
        var kind = OrgTree.ScopeKindOf(role)!;
        if (scope.Kind != kind)
            return ProblemResults.Validation("scopeId",
                $"{RoleZh(role)}须在{KindZh(kind)}任职，而“{scopeId}”是{KindZh(scope.Kind)} / {role} is held in a {kind}; '{scopeId}' is a {scope.Kind}.");
        if (await db.RoleAssignments.AnyAsync(a => a.UserId == id && a.Role == role && a.ScopeId == scopeId, ct))
            return TypedResults.Problem(statusCode: 409, title: "操作冲突 / Conflict",
                detail: $"该人员已在“{scopeId}”担任{RoleZh(role)} / The user already holds {role} in '{scopeId}'.");
        var assignment = new RoleAssignment { UserId = id, Role = role, ScopeId = scopeId };
        db.RoleAssignments.Add(assignment);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/org/users/{id}", new AssignmentView(assignment.Id, assignment.Role, assignment.ScopeId));
    }

    public static async Task<IResult> RemoveRoleAsync(string id, long assignmentId, WorkflowsDbContext db, CancellationToken ct)
    {
        var assignment = await db.RoleAssignments.SingleOrDefaultAsync(a => a.Id == assignmentId && a.UserId == id, ct);
        if (assignment is null)
            return TypedResults.Problem(statusCode: 404, title: "未找到 / Not found",
                detail: $"人员“{id}”没有编号为 {assignmentId} 的角色 / User '{id}' has no role assignment {assignmentId}.");
        if (assignment.Role == Roles.BureauAdmin
            && !await db.RoleAssignments.AnyAsync(a => a.Role == Roles.BureauAdmin && a.Id != assignmentId
                && db.Users.Any(u => u.Id == a.UserId && u.Status == UserStatuses.Active), ct))
            return TypedResults.Problem(statusCode: 409, title: "操作冲突 / Conflict",
                detail: "这是最后一位系统管理员，请先把该角色授予其他人 / This is the last BureauAdmin; give the role to someone else first.");
        db.RoleAssignments.Remove(assignment);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    public static async Task<IResult> SetPasswordAsync(string id, HttpContext http, WorkflowsDbContext db, IPasswordHasher<UserRecord> hasher,
        CancellationToken ct)
    {
        var (body, error) = await ProblemResults.ReadObjectAsync(http.Request);
        if (error is not null) return error;
        var password = AuthApi.StringField(body!, "password");
        if (password is null || password.Length < MinPasswordLength)
            return ProblemResults.Validation("password", $"密码至少 {MinPasswordLength} 位 / password must have at least {MinPasswordLength} characters.");
        if (password.Length > MaxPasswordLength)
            return ProblemResults.Validation("password", $"密码最多 {MaxPasswordLength} 位 / password must have at most {MaxPasswordLength} characters.");
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return UserNotFound(id);
        user.PasswordHash = hasher.HashPassword(user, password);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static IResult UserNotFound(string id) =>
        TypedResults.Problem(statusCode: 404, title: "未找到 / Not found", detail: $"人员“{id}”不存在 / User '{id}' does not exist.");

    /// <summary>A role's Chinese name, as the organization page shows it.</summary>
    private static string RoleZh(string role) => role switch
    {
        Roles.Teacher => "教师",
        Roles.SchoolOffice => "学校办公室",
        Roles.Principal => "校长",
        Roles.Lead => "教联体负责人",
        Roles.BureauPersonnel => "人事股",
        Roles.BureauAdmin => "系统管理员",
        Roles.Designer => "流程设计",
        _ => role,
    };

    private static string KindZh(string kind) => kind switch
    {
        OrgUnit.KindSchool => "学校",
        OrgUnit.KindFederation => "教联体",
        OrgUnit.KindCounty => "县教育局",
        _ => kind,
    };

    private static UserView View(UserRecord u, IEnumerable<RoleAssignment> roles, OrgTree tree) => new(
        u.Id, u.Name, u.Email, u.EmployeeNo, u.Phone, u.SchoolId, tree.Find(u.SchoolId)?.Name, u.Subject, u.Title, u.IsBackbone,
        u.JoinedSchoolOn, u.BirthYear, u.Status, u.PasswordHash is not null,
        roles.OrderBy(a => a.Role, StringComparer.Ordinal).ThenBy(a => a.ScopeId, StringComparer.Ordinal)
            .Select(a => new AssignmentView(a.Id, a.Role, a.ScopeId)).ToList());

    /// <summary>An optional string field: null when absent or JSON null; a wrong type or a too long text is an error of that field.</summary>
    private static string? Text(JsonObject body, string field, int maxLength, Action<string, string> fail)
    {
        switch (body[field])
        {
            case null: return null;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var text = v.GetValue<string>();
                if (text.Length > maxLength) { fail(field, $"最多 {maxLength} 个字符 / {field} must have at most {maxLength} characters."); return null; }
                return text;
            default:
                fail(field, $"应为文字 / {field} must be a string.");
                return null;
        }
    }
}
