using Hangfire;
using Hangfire.Dashboard;
using Scalar.AspNetCore;
using Workflows.Host.Configuration;
using Workflows.Host.Features.Definitions;
using Workflows.Host.Features.Events;
using Workflows.Host.Features.Instances;

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
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return builder;
    }

    public static WebApplication Map(WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi();
        app.MapScalarApiReference("/scalar");
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") });
        app.MapDefinitionsApi();
        app.MapInstancesApi();
        app.MapEventsApi();
        if (app.Configuration.GetValue("Hangfire:Dashboard", true))
            app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [new LocalRequestsOnlyAuthorizationFilter()] });
        app.MapGet("/", () => Results.Redirect("/scalar")).ExcludeFromDescription();
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
