using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Activities.People;
using Workflows.Host.People;
using Workflows.Host.Tests.Support;

namespace Workflows.Host.Tests.Auth;

/// <summary>The demo organisation, the assignee directory over it, and the organisation API.</summary>
public abstract class OrganizationTests : HostTestBase
{
    [Fact]
    public async Task The_demo_organisation_is_a_county_of_3_federations_and_12_schools_with_about_400_teachers()
    {
        var host = await StartHostAsync();
        await using var db = host.OpenDb();

        var units = await db.OrgUnits.AsNoTracking().ToListAsync(Ct);
        Assert.Equal("示例县", Assert.Single(units, u => u.Kind == "County").Name);
        Assert.Equal(3, units.Count(u => u.Kind == "Federation" && u.ParentId == DemoOrganization.CountyId));
        var schools = units.Where(u => u.Kind == "School").ToList();
        Assert.Equal(12, schools.Count);
        Assert.All(units.Where(u => u.Kind == "Federation"), f =>
        {
            Assert.Equal(4, schools.Count(s => s.ParentId == f.Id));
            Assert.Single(schools, s => s.ParentId == f.Id && s.IsCore);
        });

        var teachers = await db.RoleAssignments.AsNoTracking().Where(a => a.Role == Roles.Teacher).ToListAsync(Ct);
        Assert.Equal(DemoOrganization.TeacherCount, teachers.Count);
        Assert.All(schools, s => Assert.InRange(teachers.Count(t => t.ScopeId == s.Id), 15, 60));
        foreach (var role in new[] { Roles.Principal, Roles.SchoolOffice })
            Assert.All(schools, s => Assert.Single(db.RoleAssignments.Where(a => a.Role == role && a.ScopeId == s.Id)));

        var users = await db.Users.AsNoTracking().Where(u => u.Id.StartsWith("u-teacher")).ToListAsync(Ct);
        var today = DateOnly.FromDateTime(TestHost.T0.UtcDateTime);
        var longServing = users.Count(u => u.JoinedSchoolOn <= today.AddYears(-6));
        Assert.InRange(longServing, 100, 350);
        Assert.InRange(users.Count(u => u.IsBackbone), 20, 120);
        Assert.All(users, u => Assert.InRange(u.Name.Length, 2, 3));
        Assert.All(users, u => Assert.Equal(u.SchoolId, teachers.Single(t => t.UserId == u.Id).ScopeId));
        var teacher1 = users.Single(u => u.Email == SignIn.Teacher1);
        Assert.True(teacher1.IsBackbone);
        Assert.True(teacher1.JoinedSchoolOn <= today.AddYears(-6));

        // Deterministic, and not seeded twice.
        Assert.False(await DemoOrganization.SeedAsync(db, host.Time, "another", Ct));
        Assert.Equal(users.Count, await db.Users.CountAsync(u => u.Id.StartsWith("u-teacher"), Ct));
    }

    [Fact]
    public async Task Without_DemoData_the_database_stays_empty()
    {
        var host = await StartHostAsync(settings: new Dictionary<string, string?> { ["Workflows:DemoData"] = "false" });
        await using var db = host.OpenDb();
        Assert.False(await db.Users.AnyAsync(Ct));
        Assert.False(await db.OrgUnits.AnyAsync(Ct));
    }

    [Fact]
    public async Task The_assignee_directory_answers_from_the_roster_as_it_is_now()
    {
        var host = await StartHostAsync();
        var directory = host.Services.GetRequiredService<IAssigneeDirectory>();
        Assert.IsType<AssigneeDirectory>(directory);

        Assert.Equal(["u-principal1"], await directory.UsersInRoleAsync(Roles.Principal, DemoOrganization.SchoolId(1, 1), Ct));
        Assert.Equal(["u-lead2"], await directory.UsersInRoleAsync(Roles.Lead, DemoOrganization.FederationId(2), Ct));
        Assert.Equal(["u-personnel"], await directory.UsersInRoleAsync(Roles.BureauPersonnel, DemoOrganization.CountyId, Ct));
        Assert.Empty(await directory.UsersInRoleAsync(Roles.Principal, DemoOrganization.FederationId(1), Ct));
        Assert.Contains("u-teacher1", await directory.UsersInRoleAsync(Roles.Teacher, DemoOrganization.SchoolId(1, 1), Ct));
        Assert.Equal(["u-admin"], await directory.AdministratorsAsync(Ct));

        Assert.Equal(new UserPlacement("u-teacher1", "school-1-1", "fed-1", "county"), await directory.PlacementOfAsync("u-teacher1", Ct));
        Assert.Equal(new UserPlacement("u-principal7", "school-2-3", "fed-2", "county"), await directory.PlacementOfAsync("u-principal7", Ct));
        Assert.Equal(new UserPlacement("u-admin", null, null, "county"), await directory.PlacementOfAsync("u-admin", Ct));
        Assert.Null(await directory.PlacementOfAsync("nobody", Ct));
        Assert.True(await directory.IsActiveAsync("u-teacher1", Ct));
        Assert.False(await directory.IsActiveAsync("nobody", Ct));

        // A change is seen at once: disabled people drop out, a moved teacher is placed at the new school.
        await using (var db = host.OpenDb())
        {
            (await db.Users.SingleAsync(u => u.Id == "u-principal1", Ct)).Status = UserStatuses.Disabled;
            (await db.Users.SingleAsync(u => u.Id == "u-teacher1", Ct)).SchoolId = DemoOrganization.SchoolId(3, 2);
            await db.SaveChangesAsync(Ct);
        }
        Assert.Empty(await directory.UsersInRoleAsync(Roles.Principal, DemoOrganization.SchoolId(1, 1), Ct));
        Assert.False(await directory.IsActiveAsync("u-principal1", Ct));
        Assert.Equal(new UserPlacement("u-teacher1", "school-3-2", "fed-3", "county"), await directory.PlacementOfAsync("u-teacher1", Ct));

        // A second BureauAdmin given through the API is an administrator too.
        await host.Client.PostJson("/api/org/users/u-personnel/roles", """{"role": "BureauAdmin", "scopeId": "county"}""").Expect(HttpStatusCode.Created);
        Assert.Equal(["u-admin", "u-personnel"], await directory.AdministratorsAsync(Ct));
    }

    [Fact]
    public async Task The_unit_tree_and_the_people_list()
    {
        var host = await StartHostAsync();
        var client = host.Client;

        var roots = await (await client.GetAsync("/api/org/units", Ct).Expect(HttpStatusCode.OK)).ReadArrayAsync();
        var county = (JsonObject)Assert.Single(roots)!;
        Assert.Equal("county", county["id"]!.ToString());
        var federations = county["children"]!.AsArray();
        Assert.Equal(["fed-1", "fed-2", "fed-3"], federations.Select(f => f!["id"]!.ToString()).ToArray());
        var fed1Schools = federations[0]!["children"]!.AsArray();
        Assert.Equal(4, fed1Schools.Count);
        Assert.True((bool)fed1Schools[0]!["isCore"]!); // the core school first

        var page = await (await client.GetAsync("/api/org/users?schoolId=school-1-1&pageSize=500", Ct).Expect(HttpStatusCode.BadRequest)).ReadObjectAsync();
        Assert.NotNull(page["errors"]!["pageSize"]);
        var school = await (await client.GetAsync("/api/org/users?schoolId=school-1-1&pageSize=200", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        var items = school["items"]!.AsArray();
        Assert.Equal((int)school["total"]!, items.Count);
        Assert.All(items, u => Assert.Equal("school-1-1", u!["schoolId"]!.ToString()));
        Assert.Contains(items, u => u!["email"]!.ToString() == SignIn.Teacher1);
        Assert.All(items, u => Assert.False(((JsonObject)u!).ContainsKey("passwordHash")));

        var federation = await (await client.GetAsync("/api/org/users?schoolId=fed-1&pageSize=1", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.True((int)federation["total"]! > (int)school["total"]!);
        Assert.Single(federation["items"]!.AsArray());

        var found = await (await client.GetAsync("/api/org/users?q=TEACHER1%40demo", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Contains(found["items"]!.AsArray(), u => u!["id"]!.ToString() == "u-teacher1");
        var byName = await (await client.GetAsync($"/api/org/users?q={Uri.EscapeDataString("张晓燕")}", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Contains(byName["items"]!.AsArray(), u => u!["id"]!.ToString() == "u-teacher1");
        await client.GetAsync("/api/org/users?schoolId=nowhere", Ct).ExpectInvalid("schoolId");
        await client.GetAsync("/api/org/users/nobody", Ct).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Creating_people_giving_roles_and_passwords_checks_every_field()
    {
        var host = await StartHostAsync();
        var client = host.Client;

        await client.PostJson("/api/org/users", """{"email": "new@school.example", "name": " "}""").ExpectInvalid("name");
        await client.PostJson("/api/org/users", """{"email": "not-an-address", "name": "刘洋"}""").ExpectInvalid("email");
        await client.PostJson("/api/org/users", """{"email": "Teacher1@demo.local", "name": "刘洋"}""").ExpectInvalid("email");
        await client.PostJson("/api/org/users", """{"email": "new@school.example", "name": "刘洋", "schoolId": "fed-1"}""").ExpectInvalid("schoolId");
        await client.PostJson("/api/org/users", """{"email": "new@school.example", "name": "刘洋", "schoolId": "nowhere"}""").ExpectInvalid("schoolId");
        await client.PostJson("/api/org/users", """{"email": "new@school.example", "name": "刘洋", "password": "short"}""").ExpectInvalid("password");
        await client.PostJson("/api/org/users", """{"email": "new@school.example", "name": "刘洋", "joinedSchoolOn": "01/09/2019"}""").ExpectInvalid("joinedSchoolOn");
        var both = await client.PostJson("/api/org/users", """{"email": 5}""").ExpectInvalid("name");
        Assert.NotNull(both["errors"]!["email"]);

        var created = await (await client.PostJson("/api/org/users", """
            {"email": " New@School.Example ", "name": "刘洋", "schoolId": "school-2-2", "subject": "数学", "isBackbone": true,
             "joinedSchoolOn": "2018-09-01", "password": "Secret#2026"}
            """).Expect(HttpStatusCode.Created)).ReadObjectAsync();
        var id = created["id"]!.ToString();
        Assert.Equal("new@school.example", created["email"]!.ToString());
        Assert.Equal("青山镇红旗小学", created["schoolName"]!.ToString());
        Assert.True((bool)created["hasPassword"]!);
        Assert.Equal("2018-09-01", created["joinedSchoolOn"]!.ToString());

        // Roles: known role, existing unit of the right kind, no duplicate.
        await client.PostJson($"/api/org/users/{id}/roles", """{"role": "Janitor", "scopeId": "school-2-2"}""").ExpectInvalid("role");
        await client.PostJson($"/api/org/users/{id}/roles", """{"role": "Teacher", "scopeId": "nowhere"}""").ExpectInvalid("scopeId");
        await client.PostJson($"/api/org/users/{id}/roles", """{"role": "Teacher", "scopeId": "fed-2"}""").ExpectInvalid("scopeId");
        await client.PostJson($"/api/org/users/{id}/roles", """{"role": "Lead", "scopeId": "school-2-1"}""").ExpectInvalid("scopeId");
        await client.PostJson($"/api/org/users/{id}/roles", """{"role": "BureauPersonnel", "scopeId": "fed-2"}""").ExpectInvalid("scopeId");
        await client.PostJson("/api/org/users/nobody/roles", """{"role": "Teacher", "scopeId": "school-2-2"}""").ExpectProblem(HttpStatusCode.NotFound);
        var teacher = await (await client.PostJson($"/api/org/users/{id}/roles", """{"role": "Teacher", "scopeId": "school-2-2"}""")
            .Expect(HttpStatusCode.Created)).ReadObjectAsync();
        await client.PostJson($"/api/org/users/{id}/roles", """{"role": "Teacher", "scopeId": "school-2-2"}""").ExpectProblem(HttpStatusCode.Conflict);
        await client.PostJson($"/api/org/users/{id}/roles", """{"role": "Lead", "scopeId": "fed-2"}""").Expect(HttpStatusCode.Created);

        var person = await host.ClientForAsync("new@school.example", "Secret#2026");
        var me = await (await person.GetAsync("/api/me", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Equal(["Lead@fed-2", "Teacher@school-2-2"], me["roles"]!.AsArray().Select(r => $"{r!["role"]}@{r["scopeId"]}").ToArray());

        await client.DeleteAsync($"/api/org/users/{id}/roles/{teacher["id"]}", Ct).Expect(HttpStatusCode.NoContent);
        await client.DeleteAsync($"/api/org/users/{id}/roles/{teacher["id"]}", Ct).ExpectProblem(HttpStatusCode.NotFound);
        await client.DeleteAsync($"/api/org/users/u-teacher2/roles/{teacher["id"]}", Ct).ExpectProblem(HttpStatusCode.NotFound);

        // The last BureauAdmin cannot be removed (nobody could manage the roster any more).
        var admin = await (await client.GetAsync("/api/org/users/u-admin", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        var adminRole = admin["roles"]!.AsArray().Single(r => r!["role"]!.ToString() == "BureauAdmin")!["id"];
        await client.DeleteAsync($"/api/org/users/u-admin/roles/{adminRole}", Ct).ExpectProblem(HttpStatusCode.Conflict);

        // Passwords: at least 8 characters; the new one works, the old one not.
        await client.PostJson($"/api/org/users/{id}/password", """{"password": "1234567"}""").ExpectInvalid("password");
        await client.PostJson($"/api/org/users/{id}/password", """{}""").ExpectInvalid("password");
        await client.PostJson("/api/org/users/nobody/password", """{"password": "12345678"}""").ExpectProblem(HttpStatusCode.NotFound);
        await client.PostJson($"/api/org/users/{id}/password", """{"password": "12345678"}""").Expect(HttpStatusCode.NoContent);
        await host.CreateClient().PostJson("/api/auth/sign-in", """{"email": "new@school.example", "password": "Secret#2026"}""").ExpectProblem(HttpStatusCode.BadRequest);
        await host.CreateClient().SignInAsAsync("new@school.example", "12345678");
    }

    /// <summary>
    /// A bureau officer managing the roster is told why in Chinese first, with the English the API always gave after
    /// " / " (the page shows the reader's half).
    /// </summary>
    [Fact]
    public async Task Organization_refusals_say_why_in_Chinese_and_keep_the_English()
    {
        var host = await StartHostAsync();
        var client = host.Client;

        var wrongUnit = await client.PostJson("/api/org/users/u-teacher2/roles", """{"role": "Teacher", "scopeId": "fed-2"}""").ExpectInvalid("scopeId");
        Assert.Equal("请求有误 / Invalid request", wrongUnit["title"]!.ToString());
        Assert.Equal("教师须在学校任职，而“fed-2”是教联体",
            HostApi.AssertChineseThenEnglish(wrongUnit["errors"]!["scopeId"]![0], "Teacher is held in a School; 'fed-2' is a Federation."));

        var shortPassword = await client.PostJson("/api/org/users/u-teacher2/password", """{"password": "1234567"}""").ExpectInvalid("password");
        Assert.Equal("密码至少 8 位", HostApi.AssertChineseThenEnglish(shortPassword["errors"]!["password"]![0], "password must have at least 8 characters."));

        var badPage = await client.GetAsync("/api/org/users?pageSize=500", Ct).ExpectInvalid("pageSize");
        HostApi.AssertChineseThenEnglish(badPage["errors"]!["pageSize"]![0], "pageSize must be from 1 to 200.");

        var nobody = await client.GetAsync("/api/org/users/nobody", Ct).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Equal("未找到 / Not found", nobody["title"]!.ToString());
        Assert.Equal("人员“nobody”不存在", HostApi.AssertChineseThenEnglish(nobody["detail"], "User 'nobody' does not exist."));

        var admin = await (await client.GetAsync("/api/org/users/u-admin", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        var adminRole = admin["roles"]!.AsArray().Single(r => r!["role"]!.ToString() == "BureauAdmin")!["id"];
        var lastAdmin = await client.DeleteAsync($"/api/org/users/u-admin/roles/{adminRole}", Ct).ExpectProblem(HttpStatusCode.Conflict);
        Assert.Equal("操作冲突 / Conflict", lastAdmin["title"]!.ToString());
        HostApi.AssertChineseThenEnglish(lastAdmin["detail"], "This is the last BureauAdmin; give the role to someone else first.");
    }

    [Fact]
    public async Task Editing_a_person_checks_every_field_and_changes_nothing_on_bad_input()
    {
        var host = await StartHostAsync();
        var client = host.Client;
        Task<HttpResponseMessage> Put(string url, string json) => client.PutAsync(url, HostApi.Json(json), Ct);
        async Task<JsonObject> Teacher2() => await (await client.GetAsync("/api/org/users/u-teacher2", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        var before = await Teacher2();

        // Each bad field is named, and all of them at once; nothing changes.
        await Put("/api/org/users/u-teacher2", """{"name": " "}""").ExpectInvalid("name");
        await Put("/api/org/users/u-teacher2", """{"email": "not-an-address"}""").ExpectInvalid("email");
        var taken = await Put("/api/org/users/u-teacher2", """{"email": "Teacher1@demo.local"}""").ExpectInvalid("email");
        Assert.Contains("已有人员使用邮箱 teacher1@demo.local", taken["errors"]!["email"]![0]!.ToString());
        await Put("/api/org/users/u-teacher2", """{"schoolId": "fed-1"}""").ExpectInvalid("schoolId");
        await Put("/api/org/users/u-teacher2", """{"schoolId": "nowhere"}""").ExpectInvalid("schoolId");
        await Put("/api/org/users/u-teacher2", """{"joinedSchoolOn": "2019年9月"}""").ExpectInvalid("joinedSchoolOn");
        await Put("/api/org/users/u-teacher2", """{"joinedSchoolOn": "2019-02-30"}""").ExpectInvalid("joinedSchoolOn");
        await Put("/api/org/users/u-teacher2", """{"birthYear": 85}""").ExpectInvalid("birthYear");
        await Put("/api/org/users/u-teacher2", """{"isBackbone": "yes"}""").ExpectInvalid("isBackbone");
        await Put("/api/org/users/u-teacher2", """{"status": "Gone"}""").ExpectInvalid("status");
        await Put("/api/org/users/u-teacher2", """{"phone": 13800000000}""").ExpectInvalid("phone");
        var many = await Put("/api/org/users/u-teacher2", """{"name": "新名字", "email": "x", "schoolId": "nowhere", "birthYear": "1985"}""").ExpectInvalid("email");
        Assert.NotNull(many["errors"]!["schoolId"]);
        Assert.NotNull(many["errors"]!["birthYear"]);
        await Put("/api/org/users/u-teacher2", "[1]").ExpectInvalid("body");
        await Put("/api/org/users/nobody", """{"name": "某人"}""").ExpectProblem(HttpStatusCode.NotFound);
        Assert.Equal(before.ToJsonString(), (await Teacher2()).ToJsonString());

        // The last administrator cannot be disabled.
        await Put("/api/org/users/u-admin", """{"status": "Disabled"}""").ExpectInvalid("status");

        // A good edit changes what it names, keeps the rest, and moves the Teacher role to the new school.
        var updated = await (await Put("/api/org/users/u-teacher2", """
            {"name": "王老师", "email": " Wang.Teacher@School.Example ", "schoolId": "school-3-2", "phone": "13800000000", "employeeNo": "T0002",
             "subject": "物理", "title": "一级教师", "isBackbone": true, "joinedSchoolOn": "2020-09-01", "birthYear": 1986}
            """).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Equal("王老师", updated["name"]!.ToString());
        Assert.Equal("wang.teacher@school.example", updated["email"]!.ToString());
        Assert.Equal("school-3-2", updated["schoolId"]!.ToString());
        Assert.Equal("2020-09-01", updated["joinedSchoolOn"]!.ToString());
        Assert.Equal(1986, (int)updated["birthYear"]!);
        Assert.True((bool)updated["isBackbone"]!);
        Assert.Equal("Active", updated["status"]!.ToString());
        Assert.Equal(["Teacher@school-3-2"], updated["roles"]!.AsArray().Select(r => $"{r!["role"]}@{r["scopeId"]}").ToArray());
        Assert.Equal(updated.ToJsonString(), (await Teacher2()).ToJsonString());
        var directory = host.Services.GetRequiredService<IAssigneeDirectory>();
        Assert.Contains("u-teacher2", await directory.UsersInRoleAsync(Roles.Teacher, "school-3-2", Ct));

        // Keeping one's own address is no clash; null clears an optional field; a disabled person is no longer active.
        var cleared = await (await Put("/api/org/users/u-teacher2", """{"email": "wang.teacher@school.example", "phone": null, "birthYear": null, "status": "Disabled"}""")
            .Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Null(cleared["phone"]);
        Assert.Null(cleared["birthYear"]);
        Assert.Equal("物理", cleared["subject"]!.ToString());
        Assert.False(await directory.IsActiveAsync("u-teacher2", Ct));
    }

}
