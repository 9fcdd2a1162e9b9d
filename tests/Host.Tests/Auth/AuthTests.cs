using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Workflows.Host.Features.Auth;
using Workflows.Host.People;
using Workflows.Host.Tests.Support;

namespace Workflows.Host.Tests.Auth;

/// <summary>Password sign-in, /api/me, sign-out, one-time sign-in links, 401 for the API, roles re-read.</summary>
public abstract partial class AuthTests : HostTestBase
{
    private readonly string _mail = Directory.CreateTempSubdirectory("workflows-auth-mail-").FullName;

    protected override void Cleanup()
    {
        try { Directory.Delete(_mail, recursive: true); } catch (IOException) { }
    }

    /// <summary>Mail of these tests goes to a temp folder, not to the repository's data/mail.</summary>
    private Task<TestHost> StartAsync(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["Smtp:Host"] = "", ["Smtp:PickupDirectory"] = _mail };
        foreach (var (key, value) in more) settings[key] = value;
        return StartHostAsync(settings: settings);
    }

    [Fact]
    public async Task A_sign_in_on_one_Host_is_accepted_by_every_Host_on_the_same_database_and_after_a_restart()
    {
        // No shared folder: the default Auth:KeysDirectory is empty, and the key ring lives in the database.
        var a = await StartAsync();
        var cookie = await a.CookieAsync(SignIn.Teacher1);
        var b = await StartAsync(("Database:ConnectionString", a.Database.ConnectionString));

        async Task<HttpStatusCode> MeAsync(TestHost host)
        {
            using var client = host.Server.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
            request.Headers.Add("Cookie", cookie);
            using var response = await client.SendAsync(request, Ct);
            if (response.StatusCode == HttpStatusCode.OK)
                Assert.Equal(SignIn.Teacher1, (await response.ReadObjectAsync())["email"]!.ToString());
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await MeAsync(b));
        // A Host on another database has other keys and does not accept the cookie.
        var other = await StartAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(other));

        // Every Host stops; a new one on the same database still accepts it.
        await StopHostAsync(a);
        await StopHostAsync(b);
        var c = await StartAsync(("Database:ConnectionString", a.Database.ConnectionString));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(c));
        await using var db = c.OpenDb();
        Assert.NotEmpty(await db.SigningKeys.ToListAsync(Ct));
    }

    [Fact]
    public async Task Signing_in_sets_an_HttpOnly_SameSite_Lax_cookie_and_me_tells_who_and_where()
    {
        var host = await StartAsync();
        var client = host.CreateClient();

        var response = await client.PostJson("/api/auth/sign-in", """{"email": " Teacher1@Demo.LOCAL ", "password": "Demo@2026"}""").Expect(HttpStatusCode.OK);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(AuthServiceCollectionExtensions.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);

        var me = await (await client.GetAsync("/api/me", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Equal("u-teacher1", me["id"]!.ToString());
        Assert.Equal(SignIn.Teacher1, me["email"]!.ToString());
        Assert.Equal("张晓燕", me["name"]!.ToString());
        Assert.Equal(DemoOrganization.SchoolId(1, 1), me["school"]!["id"]!.ToString());
        Assert.Equal("城关第一小学", me["school"]!["name"]!.ToString());
        Assert.Equal(DemoOrganization.FederationId(1), me["school"]!["federationId"]!.ToString());
        var role = (JsonObject)Assert.Single(me["roles"]!.AsArray())!;
        Assert.Equal("Teacher", role["role"]!.ToString());
        Assert.Equal(DemoOrganization.SchoolId(1, 1), role["scopeId"]!.ToString());
        Assert.Equal("School", role["scopeKind"]!.ToString());

        var admin = await (await host.Client.GetAsync("/api/me", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Null(admin["school"]);
        Assert.Equal(["BureauAdmin@county", "Designer@county"],
            admin["roles"]!.AsArray().Select(r => $"{r!["role"]}@{r["scopeId"]}").ToArray());
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_email_get_the_same_bilingual_400_and_no_cookie()
    {
        var host = await StartAsync();
        var client = host.CreateClient();

        var wrong = await client.PostJson("/api/auth/sign-in", """{"email": "teacher1@demo.local", "password": "not-the-password"}""")
            .ExpectProblem(HttpStatusCode.BadRequest);
        var unknown = await client.PostJson("/api/auth/sign-in", """{"email": "nobody@demo.local", "password": "Demo@2026"}""")
            .ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Equal("邮箱或密码不正确 / Email or password is incorrect", wrong["title"]!.ToString());
        Assert.Equal(wrong["title"]!.ToString(), unknown["title"]!.ToString());
        Assert.Equal(wrong["detail"]!.ToString(), unknown["detail"]!.ToString());
        Assert.False(wrong.ContainsKey("errors"), "the answer names no field: it must not say which of the two was wrong");

        // A user without a password (link-only) and a disabled user are refused the same way.
        await using (var db = host.OpenDb())
        {
            var teacher2 = await db.Users.SingleAsync(u => u.Id == "u-teacher2", Ct);
            teacher2.PasswordHash = null;
            var principal = await db.Users.SingleAsync(u => u.Id == "u-principal1", Ct);
            principal.Status = UserStatuses.Disabled;
            await db.SaveChangesAsync(Ct);
        }
        foreach (var email in new[] { SignIn.Teacher2, SignIn.Principal1 })
        {
            var refused = await client.PostJson("/api/auth/sign-in", new JsonObject { ["email"] = email, ["password"] = SignIn.Password })
                .ExpectProblem(HttpStatusCode.BadRequest);
            Assert.Equal(wrong["title"]!.ToString(), refused["title"]!.ToString());
        }
        await client.GetAsync("/api/me", Ct).ExpectProblem(HttpStatusCode.Unauthorized);

        await client.PostJson("/api/auth/sign-in", """{"password": "Demo@2026"}""").ExpectInvalid("email");
        await client.PostJson("/api/auth/sign-in", """{"email": "teacher1@demo.local"}""").ExpectInvalid("password");
        await client.PostJson("/api/auth/sign-in", "not json").ExpectInvalid("body");
    }

    [Fact]
    public async Task Without_a_cookie_the_API_answers_401_ProblemDetails_not_a_redirect()
    {
        var host = await StartAsync();
        var client = host.CreateClient();
        foreach (var url in new[] { "/api/me", "/api/instances", "/api/definitions", "/api/org/units" })
        {
            var problem = await client.GetAsync(url, Ct).ExpectProblem(HttpStatusCode.Unauthorized);
            Assert.Equal("未登录 / Not signed in", problem["title"]!.ToString());
        }
        var response = await client.PostJson("/api/instances", """{"definitionId": "x"}""").Expect(HttpStatusCode.Unauthorized);
        Assert.Null(response.Headers.Location);
        // A forged cookie is no cookie.
        var forged = host.Server.CreateClient();
        forged.DefaultRequestHeaders.Add("Cookie", $"{AuthServiceCollectionExtensions.CookieName}=CfDJ8forged");
        await forged.GetAsync("/api/me", Ct).ExpectProblem(HttpStatusCode.Unauthorized);
        // Signed in but without the role: 403 ProblemDetails.
        var teacher = await host.ClientForAsync(SignIn.Teacher1);
        var forbidden = await teacher.GetAsync("/api/org/units", Ct).ExpectProblem(HttpStatusCode.Forbidden);
        Assert.Equal("无权访问 / Forbidden", forbidden["title"]!.ToString());
        // Health stays anonymous.
        await client.GetAsync("/health/live", Ct).Expect(HttpStatusCode.OK);
        await client.GetAsync("/health/ready", Ct).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var host = await StartAsync();
        var client = await host.ClientForAsync(SignIn.Lead1);
        await client.GetAsync("/api/me", Ct).Expect(HttpStatusCode.OK);

        var response = await client.PostAsync("/api/auth/sign-out", null, Ct).Expect(HttpStatusCode.NoContent);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(AuthServiceCollectionExtensions.CookieName + "=;", StringComparison.Ordinal));
        await client.GetAsync("/api/me", Ct).ExpectProblem(HttpStatusCode.Unauthorized);
        // Signing out twice (or without a sign-in) is harmless.
        await client.PostAsync("/api/auth/sign-out", null, Ct).Expect(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task A_sign_in_link_works_once_and_only_its_hash_is_stored()
    {
        var host = await StartAsync();
        var anonymous = host.CreateClient();

        var accepted = await anonymous.PostJson("/api/auth/link", """{"email": "Teacher1@demo.local"}""").Expect(HttpStatusCode.Accepted);
        Assert.Contains("sign-in link", (await accepted.ReadObjectAsync())["message"]!.ToString());
        var token = await LinkTokenAsync(host, SignIn.Teacher1);
        await using (var db = host.OpenDb())
        {
            var link = await db.ActionLinks.SingleAsync(Ct);
            Assert.Equal("signin", link.Purpose);
            Assert.Equal("u-teacher1", link.UserId);
            Assert.Equal(TestHost.T0 + TimeSpan.FromMinutes(30), link.ExpiresAt);
            Assert.NotEqual(token, link.TokenHash);
            Assert.DoesNotContain(token, link.TokenHash);
            Assert.Empty(await db.Notifications.ToListAsync(Ct)); // the live link is not kept in the inbox
        }

        var signIn = await anonymous.GetAsync($"/api/auth/link/{token}", Ct).Expect(HttpStatusCode.Redirect);
        Assert.Equal("/", signIn.Headers.Location?.ToString());
        var me = await (await anonymous.GetAsync("/api/me", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Equal("u-teacher1", me["id"]!.ToString());

        // Used: 410, and a fresh browser gets no session from it.
        var other = host.CreateClient();
        var reused = await other.GetAsync($"/api/auth/link/{token}", Ct).ExpectProblem(HttpStatusCode.Gone);
        Assert.Contains("already used", reused["detail"]!.ToString());
        Assert.False(reused.ContainsKey("userId"));
        await other.GetAsync("/api/me", Ct).ExpectProblem(HttpStatusCode.Unauthorized);

        // The form in the email (/links/signin?token=…) signs in the same way.
        await anonymous.PostJson("/api/auth/link", """{"email": "lead1@demo.local"}""").Expect(HttpStatusCode.Accepted);
        var leadToken = await LinkTokenAsync(host, SignIn.Lead1);
        var lead = host.CreateClient();
        await lead.GetAsync($"/links/signin?token={leadToken}", Ct).Expect(HttpStatusCode.Redirect);
        Assert.Equal("u-lead1", (await (await lead.GetAsync("/api/me", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync())["id"]!.ToString());
        await host.CreateClient().GetAsync($"/links/signin?token={leadToken}", Ct).ExpectProblem(HttpStatusCode.Gone);
    }

    [Fact]
    public async Task An_expired_link_an_unknown_link_and_an_unknown_address_sign_nobody_in()
    {
        var host = await StartAsync();
        var client = host.CreateClient();

        await client.PostJson("/api/auth/link", """{"email": "teacher1@demo.local"}""").Expect(HttpStatusCode.Accepted);
        var token = await LinkTokenAsync(host, SignIn.Teacher1);
        host.Time.Advance(TimeSpan.FromMinutes(30) + TimeSpan.FromSeconds(1));
        var expired = await client.GetAsync($"/api/auth/link/{token}", Ct).ExpectProblem(HttpStatusCode.Gone);
        Assert.Contains("expired", expired["detail"]!.ToString());
        await client.GetAsync("/api/me", Ct).ExpectProblem(HttpStatusCode.Unauthorized);

        // Unknown, altered and malformed tokens: 400.
        var altered = (token[0] == 'A' ? "B" : "A") + token[1..];
        foreach (var bad in new[] { altered, "short", new string('x', 43) })
            await client.GetAsync($"/api/auth/link/{bad}", Ct).ExpectProblem(HttpStatusCode.BadRequest);
        await client.GetAsync("/api/me", Ct).ExpectProblem(HttpStatusCode.Unauthorized);

        // No enumeration: an unknown address gets the same 202, and nothing is written.
        int before;
        await using (var db = host.OpenDb()) before = await db.Outbox.CountAsync(Ct);
        var unknown = await client.PostJson("/api/auth/link", """{"email": "nobody@demo.local"}""").Expect(HttpStatusCode.Accepted);
        var known = await client.PostJson("/api/auth/link", """{"email": "teacher2@demo.local"}""").Expect(HttpStatusCode.Accepted);
        Assert.Equal(await known.Content.ReadAsStringAsync(Ct), await unknown.Content.ReadAsStringAsync(Ct));
        await using (var db = host.OpenDb())
        {
            Assert.Equal(before + 1, await db.Outbox.CountAsync(Ct));
            Assert.DoesNotContain(await db.Outbox.Select(m => m.To).ToListAsync(Ct), to => to == "nobody@demo.local");
        }
        await client.PostJson("/api/auth/link", """{"email": "not an address"}""").ExpectInvalid("email");
    }

    [Fact]
    public async Task A_removed_role_and_a_disabled_account_take_effect_without_a_new_sign_in()
    {
        var host = await StartAsync(("Auth:RefreshClaimsAfter", "00:00:00"));
        var personnel = await host.ClientForAsync(SignIn.Personnel);
        await personnel.GetAsync("/api/org/units", Ct).Expect(HttpStatusCode.OK);

        var user = await (await host.Client.GetAsync("/api/org/users/u-personnel", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        var assignment = user["roles"]!.AsArray().Single(r => r!["role"]!.ToString() == "BureauPersonnel")!["id"]!.GetValue<long>();
        await host.Client.DeleteAsync($"/api/org/users/u-personnel/roles/{assignment}", Ct).Expect(HttpStatusCode.NoContent);
        await personnel.GetAsync("/api/org/units", Ct).ExpectProblem(HttpStatusCode.Forbidden);
        await personnel.GetAsync("/api/me", Ct).Expect(HttpStatusCode.OK);

        await using (var db = host.OpenDb())
        {
            (await db.Users.SingleAsync(u => u.Id == "u-personnel", Ct)).Status = UserStatuses.Disabled;
            await db.SaveChangesAsync(Ct);
        }
        await personnel.GetAsync("/api/me", Ct).ExpectProblem(HttpStatusCode.Unauthorized);
    }

    /// <summary>The token of the newest sign-in email to <paramref name="email"/>.</summary>
    private static async Task<string> LinkTokenAsync(TestHost host, string email)
    {
        await using var db = host.OpenDb();
        var message = (await db.Outbox.AsNoTracking().Where(m => m.To == email).ToListAsync(Ct)).OrderBy(m => m.CreatedAt).Last();
        Assert.Contains("登录链接", message.Subject);
        var match = TokenPattern().Match(message.BodyText);
        Assert.True(match.Success, $"no sign-in link in: {message.BodyText}");
        Assert.Contains(match.Value, System.Net.WebUtility.HtmlDecode(message.BodyHtml));
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"/links/signin\?token=([A-Za-z0-9_-]{43})")]
    private static partial Regex TokenPattern();
}
