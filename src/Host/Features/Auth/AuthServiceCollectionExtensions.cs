using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Features.Auth;

public static class AuthServiceCollectionExtensions
{
    public const string CookieName = "workflows.auth";

    /// <summary>
    /// Cookie sign-in (HttpOnly, SameSite=Lax, 8 hours sliding), the policies of <see cref="AuthPolicies"/>,
    /// and ProblemDetails instead of redirects: 401 without a sign-in, 403 without the role.
    /// </summary>
    public static IServiceCollection AddWorkflowsAuth(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section);
        services.AddDataProtection().SetApplicationName("Workflows");
        services.AddOptions<KeyManagementOptions>().Configure<IHostEnvironment, IOptions<AuthOptions>, ILoggerFactory, IServiceProvider>(
            (o, environment, auth, logs, provider) =>
            {
                o.XmlRepository = auth.Value.KeysDirectory is { Length: > 0 } folder
                    ? new FileSystemXmlRepository(new DirectoryInfo(Path.Combine(environment.ContentRootPath, folder)), logs)
                    : new DatabaseXmlRepository(provider);
            });
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            // The wall clock, not the application's TimeProvider: tests move that one days ahead to fire timers,
            // and a signed-in test client must stay signed in.
            o.TimeProvider = TimeProvider.System;
            o.Events = new CookieAuthenticationEvents
            {
                OnRedirectToLogin = c => WriteProblemAsync(c.HttpContext, StatusCodes.Status401Unauthorized,
                    "未登录 / Not signed in", "请先登录。/ Sign in first."),
                OnRedirectToAccessDenied = c => WriteProblemAsync(c.HttpContext, StatusCodes.Status403Forbidden,
                    "无权访问 / Forbidden", "您的角色不能执行此操作。/ Your roles do not allow this."),
                OnValidatePrincipal = RefreshAsync,
            };
        });
        services.AddAuthorizationBuilder().AddWorkflowsPolicies();
        services.TryAddSingleton<IPasswordHasher<UserRecord>, PasswordHasher<UserRecord>>();
        services.TryAddSingleton<ISignInLinkMailer, OutboxSignInLinkMailer>();
        services.TryAddSingleton<UserPrincipals>();
        return services;
    }

    private static async Task WriteProblemAsync(HttpContext http, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>Re-reads the user's roles now and then, so a removed role or a disabled account takes effect without a new sign-in.</summary>
    private static async Task RefreshAsync(CookieValidatePrincipalContext context)
    {
        var options = context.HttpContext.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value;
        var now = TimeProvider.System.GetUtcNow();
        if (AuthCookie.CheckedAt(context.Properties) is { } checkedAt && now - checkedAt < options.RefreshClaimsAfter && now >= checkedAt)
            return;
        var principals = context.HttpContext.RequestServices.GetRequiredService<UserPrincipals>();
        var fresh = await principals.CreateAsync(context.Principal?.UserId(), context.HttpContext.RequestAborted);
        if (fresh is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }
        context.ReplacePrincipal(fresh);
        AuthCookie.MarkChecked(context.Properties, now);
        context.ShouldRenew = true;
    }
}
