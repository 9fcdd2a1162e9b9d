using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Workflows.Engine.Activities;
using Workflows.Engine.Execution;
using Workflows.Engine.Validation;
using Workflows.Host.Configuration;
using Workflows.Host.Definitions;
using Workflows.Host.Runtime;
using Workflows.Persistence;

namespace Workflows.Host.Cli;

/// <summary>Commands of the Host binary: validate FILE..., run FILE [--input JSON] [--until-end], migrate.</summary>
public static class Commands
{
    public static bool IsCommand(string arg) => arg is "validate" or "run" or "migrate";

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            return args[0] switch
            {
                "validate" => Validate(args[1..]),
                "run" => await RunFileAsync(args[1..]),
                _ => await MigrateAsync(),
            };
        }
        catch (InvalidSettingsException ex)
        {
            Console.Error.WriteLine($"appsettings.json: {ex.Message}");
            return 2;
        }
    }

    private static int Validate(string[] files)
    {
        if (files.Length == 0) { Console.Error.WriteLine("usage: validate FILE..."); return 2; }
        var registry = ActivityRegistry.CreateDefault().AddRange(Workflows.Activities.ActivitiesRegistration.All()); // the Host's activity types too
        var failed = false;
        foreach (var file in files)
        {
            if (!File.Exists(file)) { Console.WriteLine($"{file}: error: the file does not exist"); failed = true; continue; }
            var report = DefinitionValidator.Validate(File.ReadAllText(file), registry);
            foreach (var p in report.Problems) Console.WriteLine($"{file}: {p}");
            if (report.Succeeded) Console.WriteLine($"{file}: ok");
            failed |= !report.Succeeded;
        }
        return failed ? 1 : 0;
    }

    private static async Task<int> RunFileAsync(string[] args)
    {
        var file = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
        var untilEnd = args.Contains("--until-end");
        var inputIndex = Array.IndexOf(args, "--input");
        if (file is null || !File.Exists(file)) { Console.Error.WriteLine("usage: run FILE [--input JSON] [--until-end]"); return 2; }
        JsonObject? input = null;
        if (inputIndex >= 0)
        {
            try { input = inputIndex + 1 < args.Length ? JsonNode.Parse(args[inputIndex + 1]) as JsonObject : null; }
            catch (JsonException) { }
            if (input is null) { Console.Error.WriteLine("--input must be a JSON object, e.g. --input '{\"year\": 2026}'"); return 2; }
        }

        var dbFile = Path.Combine(Path.GetTempPath(), $"workflows-run-{Guid.NewGuid():N}.db");
        try
        {
            await using var services = BuildThrowawayServices(dbFile);
            await using (var db = await services.GetRequiredService<IDbContextFactory<WorkflowsDbContext>>().CreateDbContextAsync())
                await db.Database.MigrateAsync();
            var store = services.GetRequiredService<DefinitionStore>();
            var imported = await store.ImportAsync(await File.ReadAllTextAsync(file), publish: true, "file");
            if (imported.Record is null)
            {
                foreach (var p in imported.Report.Problems) Console.WriteLine($"{file}: {p}");
                return 1;
            }
            var runtime = services.GetRequiredService<WorkflowRuntime>();
            var lines = new List<string>();
            var outcome = await runtime.StartAsync(imported.Record.DefinitionId, imported.Record.Version, input, null, new Actor("cli"));
            lines.AddRange(outcome.Result.WriteLines);
            var state = outcome.State;
            for (var round = 0; untilEnd && round < 1000 && state.Status == WorkflowStatus.Running && state.Bookmarks.Count > 0; round++)
            {
                foreach (var bookmark in state.Bookmarks.ToList())
                {
                    try
                    {
                        outcome = await runtime.ResumeAsync(state.InstanceId, bookmark.Id, input, new Actor("cli"));
                        lines.AddRange(outcome.Result.WriteLines);
                        state = outcome.State;
                    }
                    catch (RuntimeException) { } // dropped by an earlier resume in this round
                }
            }
            Console.WriteLine(new JsonObject
            {
                ["status"] = state.Status.ToString(),
                ["subStatus"] = state.SubStatus.ToString(),
                ["writeLines"] = new JsonArray([.. lines.Select(l => (JsonNode?)JsonValue.Create(l))]),
                ["variables"] = JsonSerializer.SerializeToNode(state.Variables),
                ["output"] = state.Output.DeepClone(),
                ["blocked"] = new JsonArray([.. state.Bookmarks.Select(b => (JsonNode?)new JsonObject
                {
                    ["activityId"] = b.ActivityId, ["kind"] = b.Kind, ["stimulus"] = b.Stimulus, ["dueAt"] = b.DueAt?.ToString("O"),
                })]),
                ["incidents"] = new JsonArray([.. state.Incidents.Select(i => (JsonNode?)new JsonObject { ["activityId"] = i.ActivityId, ["message"] = i.Message })]),
            }.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            return state.SubStatus == WorkflowSubStatus.Faulted ? 1 : 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in new[] { dbFile, dbFile + "-wal", dbFile + "-shm" }) File.Delete(f);
        }
    }

    private static ServiceProvider BuildThrowawayServices(string dbFile)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = $"Data Source={dbFile}",
            ["Hangfire:Storage"] = "InMemory",
            ["Hangfire:Server"] = "false",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        // The repository (or deployment folder) is the content root, as for the web Host: templates and calendars live there.
        var root = ContentRoot.Find();
        services.AddSingleton<IHostEnvironment>(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment
        {
            EnvironmentName = Environments.Production, ApplicationName = "Workflows.Host", ContentRootPath = root,
            ContentRootFileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(root),
        });
        services.AddWorkflowsRuntime(configuration, root);
        return services.BuildServiceProvider();
    }

    private static async Task<int> MigrateAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = ContentRoot.Find() });
        if (SettingsValidator.FirstProblem(builder.Configuration) is { } problem) throw new InvalidSettingsException(problem);
        var database = SettingsValidator.Database(builder.Configuration);
        var services = new ServiceCollection().AddLogging();
        services.AddWorkflowsRuntime(builder.Configuration, builder.Environment.ContentRootPath);
        await using var provider = services.BuildServiceProvider();
        await using var db = await provider.GetRequiredService<IDbContextFactory<WorkflowsDbContext>>().CreateDbContextAsync();
        var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
        await db.Database.MigrateAsync();
        Console.WriteLine($"{database.Provider}: applied {pending.Count} migration(s){(pending.Count > 0 ? ": " + string.Join(", ", pending) : "")}.");
        return 0;
    }
}
