using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.SqlServer;
using Workflows.Engine.Activities;
using Workflows.Engine.Execution;
using Workflows.Host.Api;
using Workflows.Host.Configuration;
using Workflows.Host.Definitions;
using Workflows.Host.Runtime;
using Workflows.Host.Scheduling;
using Workflows.Persistence;

namespace Workflows.Host;

public static class HostServiceCollectionExtensions
{
    /// <summary>The engine, the database, the runtime service and timers: everything but the web endpoints.</summary>
    public static IServiceCollection AddWorkflowsRuntime(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var database = SettingsValidator.Database(configuration);
        database.ConnectionString = ResolveSqlitePath(database, contentRoot);
        services.AddWorkflowsPersistence(database);
        services.Configure<WorkflowsOptions>(configuration.GetSection(WorkflowsOptions.Section));
        services.Configure<HangfireOptions>(configuration.GetSection(HangfireOptions.Section));
        services.Configure<SmtpOptions>(configuration.GetSection(SmtpOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => ActivityRegistry.CreateDefault().AddRange(Workflows.Activities.ActivitiesRegistration.All()));
        services.AddSingleton(sp => Workflows.Activities.Calendar.WorkingDayCalendar.LoadFolder(
            Path.Combine(contentRoot, "definitions", "calendars"), logger: sp.GetRequiredService<ILoggerFactory>().CreateLogger("Calendar")));
        services.AddSingleton<Features.Tasks.TaskNotifications>();
        services.AddSingleton<IRunProjector, Features.Tasks.TaskProjector>();
        services.AddSingleton(sp => new WorkflowEngine(sp.GetRequiredService<ActivityRegistry>(), new WorkflowEngineOptions { CaptureExecutionLog = false },
            sp.GetRequiredService<TimeProvider>(), sp));
        services.AddSingleton<DefinitionStore>();
        services.AddSingleton<InstanceWriter>();
        services.AddSingleton<WorkflowRuntime>();
        services.AddSingleton<TimerScheduler>();
        services.AddTransient<TimerJob>();
        services.AddSingleton<TimerPump>();
        services.AddSingleton<StartupTasks>();
        services.AddHostedService(sp => sp.GetRequiredService<StartupTasks>());
        services.AddHostedService(sp => sp.GetRequiredService<TimerPump>());
        Notifications.NotificationsServiceCollectionExtensions.AddWorkflowsNotifications(services);
        services.AddWorkflowsHangfire(configuration, database);
        People.PeopleServiceCollectionExtensions.AddWorkflowsPeople(services, configuration); // after StartupTasks: the demo seed needs the migrations
        return services;
    }

    private static void AddWorkflowsHangfire(this IServiceCollection services, IConfiguration configuration, DatabaseOptions database)
    {
        var options = configuration.GetSection(HangfireOptions.Section).Get<HangfireOptions>() ?? new HangfireOptions();
        var storage = options.Storage == "Auto"
            ? database.Provider switch { DatabaseProvider.PostgreSql => "PostgreSql", DatabaseProvider.SqlServer => "SqlServer", _ => "InMemory" }
            : options.Storage;
        // Registered before AddHangfire so that Hangfire takes this storage, not the process-wide JobStorage.Current:
        // two Hosts in one process (tests) then never share jobs.
        services.AddSingleton<JobStorage>(_ => storage switch
        {
            "PostgreSql" => new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(database.ConnectionString, new PostgreSqlStorageOptions()),
                new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = true, QueuePollInterval = TimeSpan.FromMilliseconds(200) }),
            "SqlServer" => new SqlServerStorage(database.ConnectionString, new SqlServerStorageOptions { PrepareSchemaIfNecessary = true }),
            _ => new InMemoryStorage(),
        });
        // Likewise the activator: Hangfire's default is the process-wide JobActivator.Current, which the Host configured
        // last overwrites, so another Host's services (its database, its clock) would run this Host's jobs.
        services.AddSingleton<JobActivator>(sp => new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddSingleton(new HangfireStorageKind(storage));
        services.AddHangfire((sp, c) => c.SetDataCompatibilityLevel(CompatibilityLevel.Version_180).UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings()
            .UseLogProvider(new HangfireLogProvider(sp.GetRequiredService<ILoggerFactory>())));
        if (options.Server)
            services.AddHangfireServer(o =>
            {
                o.WorkerCount = options.WorkerCount;
                o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
                // On SIGTERM running jobs see their CancellationToken (a mail job hands its rows back at once); the server
                // waits this long for them, well within the Host's own 30 s (WorkflowsApp), then the process ends.
                o.ShutdownTimeout = TimeSpan.FromSeconds(20);
                o.ServerName = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
            });
    }

    /// <summary>SQLite paths in appsettings.json are relative to the content root (the repository), not the working directory.</summary>
    private static string ResolveSqlitePath(DatabaseOptions database, string contentRoot)
    {
        if (database.Provider != DatabaseProvider.Sqlite) return database.ConnectionString;
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString);
        if (builder.DataSource is { Length: > 0 } path && path != ":memory:" && !Path.IsPathRooted(path))
        {
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, path));
            Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        }
        return builder.ToString();
    }

    public static IServiceCollection AddWorkflowsApi(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<RuntimeExceptionHandler>();
        services.AddOpenApi();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        Features.Auth.AuthServiceCollectionExtensions.AddWorkflowsAuth(services);
        return services;
    }
}

public sealed record HangfireStorageKind(string Name)
{
    public bool IsInMemory => Name == "InMemory";
}
