using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Localization;
using MudBlazor;
using MudBlazor.Services;
using Workflows.Host.Features.Dashboard;
using Workflows.Host.Features.Designer;

namespace Workflows.Host.Components.Web;

public static class WebUiExtensions
{
    /// <summary>The web UI: Razor components (interactive server), MudBlazor, the localizer and the page services.</summary>
    public static IServiceCollection AddWorkflowsWebUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddHttpContextAccessor();
        services.AddMudServices(c =>
        {
            c.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomCenter;
            c.SnackbarConfiguration.VisibleStateDuration = 4000;
        });
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.SetDefaultCulture(Loc.Chinese).AddSupportedCultures(Loc.Cultures).AddSupportedUICultures(Loc.Cultures);
            // Only the cookie decides: the browser's Accept-Language would make a Chinese deployment English for some users.
            o.RequestCultureProviders = [new CookieRequestCultureProvider { CookieName = Loc.CookieName }];
        });
        services.AddSingleton<Loc>();
        services.AddScoped<ClientInfo>();
        services.AddScoped<CircuitHandler, ClientInfoCircuitHandler>();
        services.AddScoped<ApiCaller>();
        services.AddSingleton<IKpiService, KpiService>();
        services.AddSingleton<ActivityCatalog>();
        return services;
    }

    /// <summary>Middleware and endpoints of the UI; call after UseAuthentication/UseAuthorization.</summary>
    public static WebApplication MapWorkflowsWebUi(this WebApplication app)
    {
        app.UseRequestLocalization();
        app.UseAntiforgery();
        // The fallback policy requires a sign-in everywhere; the sign-in page needs its CSS and scripts before that.
        var manifest = Path.Combine(AppContext.BaseDirectory, $"{app.Environment.ApplicationName}.staticwebassets.endpoints.json");
        if (File.Exists(manifest)) app.MapStaticAssets(manifest).AllowAnonymous();
        else app.UseStaticFiles(); // a host built by another entry assembly (API tests) has no manifest of ours
        // Pages carry their own [Authorize]; the router checks it and sends a visitor who is not signed in to /signin
        // (the endpoint itself would answer 401 ProblemDetails, right for the API, wrong for a browser).
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode().AllowAnonymous();
        app.MapGet("/culture/{culture}", SetCulture).AllowAnonymous().ExcludeFromDescription();
        app.MapDashboardExport();
        return app;
    }

    private static IResult SetCulture(string culture, string? returnUrl, HttpContext http)
    {
        var chosen = Loc.Cultures.FirstOrDefault(c => string.Equals(c, culture, StringComparison.OrdinalIgnoreCase)) ?? Loc.Chinese;
        http.Response.Cookies.Append(Loc.CookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
            new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
        var target = !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//") && !returnUrl.StartsWith("/\\")
            ? returnUrl : "/";
        return Results.LocalRedirect(target);
    }
}
