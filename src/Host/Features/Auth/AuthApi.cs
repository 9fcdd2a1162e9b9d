using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Workflows.Host.Api;
using Workflows.Host.Notifications;
using Workflows.Host.People;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Features.Auth;

/// <summary>Sign-in with a password or a one-time emailed link, sign-out, and who am I.</summary>
public static class AuthApi
{
    public sealed record SignInRequest(string Email, string Password);
    public sealed record LinkRequest(string Email);
    public sealed record SchoolView(string Id, string Name, string? FederationId);
    public sealed record RoleView(string Role, string ScopeId, string? ScopeName, string? ScopeKind);
    public sealed record MeView(string Id, string Name, string Email, SchoolView? School, IReadOnlyList<RoleView> Roles);

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Auth").AllowAnonymous();
        auth.MapPost("/sign-in", SignInAsync).Accepts<SignInRequest>("application/json");
        auth.MapPost("/sign-out", (Func<HttpContext, Task<IResult>>)SignOutAsync); // a Delegate, so the result is written
        auth.MapPost("/link", RequestLinkAsync).Accepts<LinkRequest>("application/json");
        auth.MapGet("/link/{token}", UseLinkAsync);
        app.MapGet($"{ActionLinkService.PathPrefix}/{LinkPurpose.SignIn}", UseEmailedLinkAsync).WithTags("Auth").AllowAnonymous();
        app.MapGet("/api/me", MeAsync).WithTags("Auth").RequireAuthorization(AuthPolicies.SignedIn);
        return app;
    }

    /// <summary>A hash of a random password: unknown users cost as much time as wrong passwords.</summary>
    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<UserRecord>().HashPassword(new UserRecord(), Guid.NewGuid().ToString()));

    private static IResult BadCredentials() => TypedResults.Problem(statusCode: 400,
        title: "邮箱或密码不正确 / Email or password is incorrect",
        detail: "请检查邮箱和密码后重试。/ Check the email and the password and try again.");

    private static IResult LinkNotValid() => TypedResults.Problem(statusCode: 400,
        title: "登录链接无效 / The sign-in link is not valid",
        detail: "请重新申请登录链接。/ Ask for a new sign-in link.");

    private static IResult LinkGone(string why) => TypedResults.Problem(statusCode: 410,
        title: "登录链接已失效 / The sign-in link no longer works",
        detail: why + " 请重新申请登录链接。/ Ask for a new sign-in link.");

    public static async Task<IResult> SignInAsync(HttpContext http, WorkflowsDbContext db, IPasswordHasher<UserRecord> hasher, CancellationToken ct)
    {
        var (body, error) = await ProblemResults.ReadObjectAsync(http.Request);
        if (error is not null) return error;
        if (StringField(body!, "email") is not { Length: > 0 } rawEmail) return ProblemResults.Validation("email", "请填写邮箱 / email is required.");
        if (StringField(body!, "password") is not { Length: > 0 } password) return ProblemResults.Validation("password", "请填写密码 / password is required.");

        var email = EmailAddress.Normalize(rawEmail);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Email == email, ct);
        if (user is null || user.PasswordHash is null || user.Status != UserStatuses.Active)
        {
            hasher.VerifyHashedPassword(new UserRecord(), DummyHash.Value, password);
            return BadCredentials();
        }
        var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed) return BadCredentials();
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, password);
            await db.SaveChangesAsync(ct);
        }
        var roles = await db.RoleAssignments.AsNoTracking().Where(a => a.UserId == user.Id).ToListAsync(ct);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, UserPrincipals.Create(user, roles), AuthCookie.NewProperties());
        return TypedResults.Ok(await MeOfAsync(db, user, roles, ct));
    }

    public static async Task<IResult> SignOutAsync(HttpContext http)
    {
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    /// <summary>Always 202, whether or not the address is registered: the answer tells nobody who has an account.</summary>
    public static async Task<IResult> RequestLinkAsync(HttpContext http, WorkflowsDbContext db, ISignInLinkMailer mailer, CancellationToken ct)
    {
        var (body, error) = await ProblemResults.ReadObjectAsync(http.Request);
        if (error is not null) return error;
        var email = EmailAddress.Normalize(StringField(body!, "email"));
        if (!EmailAddress.IsValid(email)) return ProblemResults.Validation("email", "邮箱格式不正确 / email must be an email address.");

        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Email == email && u.Status == UserStatuses.Active, ct);
        if (user is not null)
        {
            mailer.Add(db, user);
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.Accepted((string?)null, new
        {
            message = "如果该邮箱已登记，登录链接已发到该邮箱。/ If the address is registered, a sign-in link is on its way to it.",
        });
    }

    /// <summary>Signs in with an emailed link (once), then goes to the start page.</summary>
    public static async Task<IResult> UseLinkAsync(string token, HttpContext http, WorkflowsDbContext db, ActionLinkService links,
        UserPrincipals principals, CancellationToken ct)
    {
        var result = await links.RedeemAsync(db, token, LinkPurpose.SignIn, null, ct);
        switch (result.Status)
        {
            case RedeemStatus.Ok: break;
            case RedeemStatus.Used: return LinkGone("这个链接已经用过了。/ The link was already used.");
            case RedeemStatus.Expired: return LinkGone("这个链接已过期。/ The link has expired.");
            default: return LinkNotValid();
        }
        var principal = await principals.CreateAsync(result.UserId, ct);
        if (principal is null) return LinkNotValid(); // the account was disabled since the link was sent
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal, AuthCookie.NewProperties());
        return TypedResults.Redirect("/");
    }

    /// <summary>The form of the link in emails: <c>/links/signin?token=…</c> (see <see cref="ActionLinkService.Url"/>).</summary>
    public static Task<IResult> UseEmailedLinkAsync(string? token, HttpContext http, WorkflowsDbContext db, ActionLinkService links,
        UserPrincipals principals, CancellationToken ct) => UseLinkAsync(token ?? "", http, db, links, principals, ct);

    public static async Task<IResult> MeAsync(HttpContext http, WorkflowsDbContext db, CancellationToken ct)
    {
        var id = http.User.UserId();
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return TypedResults.Problem(statusCode: 401, title: "未登录 / Not signed in", detail: "该账号已不存在 / The account no longer exists.");
        var roles = await db.RoleAssignments.AsNoTracking().Where(a => a.UserId == user.Id).ToListAsync(ct);
        return TypedResults.Ok(await MeOfAsync(db, user, roles, ct));
    }

    private static async Task<MeView> MeOfAsync(WorkflowsDbContext db, UserRecord user, List<RoleAssignment> roles, CancellationToken ct)
    {
        var tree = await OrgTree.LoadAsync(db, ct);
        var school = tree.Find(user.SchoolId);
        return new MeView(user.Id, user.Name, user.Email,
            school is null ? null : new SchoolView(school.Id, school.Name, school.ParentId),
            roles.OrderBy(a => a.Role, StringComparer.Ordinal).ThenBy(a => a.ScopeId, StringComparer.Ordinal)
                .Select(a => new RoleView(a.Role, a.ScopeId, tree.Find(a.ScopeId)?.Name, tree.Find(a.ScopeId)?.Kind)).ToList());
    }

    internal static string? StringField(JsonObject body, string name) =>
        body[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}

/// <summary>The sign-in cookie's properties: when its claims were last read from the roster.</summary>
public static class AuthCookie
{
    public const string CheckedAtKey = "workflows.checked";

    public static AuthenticationProperties NewProperties()
    {
        var properties = new AuthenticationProperties();
        MarkChecked(properties, DateTimeOffset.UtcNow);
        return properties;
    }

    public static void MarkChecked(AuthenticationProperties properties, DateTimeOffset at) =>
        properties.SetString(CheckedAtKey, at.ToString("O", CultureInfo.InvariantCulture));

    public static DateTimeOffset? CheckedAt(AuthenticationProperties properties) =>
        DateTimeOffset.TryParse(properties.GetString(CheckedAtKey), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null;
}
