using Hangfire;
using Hangfire.Dashboard;
using Scalar.AspNetCore;
using Workflows.Host.Components.Web;
using Workflows.Host.Configuration;
using Workflows.Host.Features.Auth;
using Workflows.Host.Features.Definitions;
using Workflows.Host.Features.Events;
using Workflows.Host.Features.Instances;
using Workflows.Host.Features.Tasks;
using Workflows.Host.Features.Organization;
using Workflows.Host.Features.Rosters;
using Workflows.Host.Features.Processes;

namespace Workflows.Host;

/// <summary>Builds the web application; Program.cs and the tests share it.</summary>
public static class WorkflowsApp
{
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = ContentRoot.Find() });
        return Configure(builder);
    }

    public static WebApplicationBuilder Configure(WebApplicationBuilder builder)
    {
        if (SettingsValidator.FirstProblem(builder.Configuration) is { } problem)
            throw new InvalidSettingsException(problem);
        builder.Services.AddWorkflowsRuntime(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddWorkflowsApi();
        builder.Services.AddWorkflowsWebUi();
        builder.Services.AddOptions<Features.Dashboard.KpiOptions>().BindConfiguration(Features.Dashboard.KpiOptions.Section);
        builder.Services.AddWorkflowsProcesses(); // after the web UI: its KPI service replaces the UI's
        // Static web assets (wwwroot, MudBlazor's files) are served from their build locations in every environment,
        // so `dotnet run` and the built Host work without a publish; a published Host has no manifest and skips this.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return builder;
    }

    public static WebApplication Map(WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization(); // every endpoint needs a sign-in unless it says otherwise (AuthPolicies)
        app.MapOpenApi().RequireAuthorization(AuthPolicies.Administrators);
        app.MapScalarApiReference("/scalar").RequireAuthorization(AuthPolicies.Administrators);
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        app.MapAuthApi().MapOrganizationApi();
        app.MapDefinitionsApi();
        app.MapInstancesApi();
        app.MapReassignApi(); // POST /api/tasks/{id}/reassign (bureau staff)
        app.MapEventsApi();
        app.MapTasksApi();
        app.MapTaskLinks();
        app.MapRostersApi();
        app.MapWorkflowsProcesses(); // /api/processes, /api/publicity, /api/public/publicity, /api/kpis
        if (app.Configuration.GetValue("Hangfire:Dashboard", true))
            app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [new AdministratorsDashboardFilter()] })
                .RequireAuthorization(AuthPolicies.Administrators);
        app.MapWorkflowsWebUi(); // the web UI; "/" is its start page
        return app;
    }
}

public sealed class InvalidSettingsException(string message) : Exception(message);

/// <summary>The folder holding appsettings.json and definitions/ (the repository, or a deployment folder).</summary>
public static class ContentRoot
{
    public static string Find()
    {
        if (Environment.GetEnvironmentVariable("WORKFLOWS_ROOT") is { Length: > 0 } root) return Path.GetFullPath(root);
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "appsettings.json")) && Directory.Exists(Path.Combine(dir.FullName, "definitions")))
                    return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
