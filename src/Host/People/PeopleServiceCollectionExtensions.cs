using Workflows.Activities.People;
using Workflows.Host.Configuration;

namespace Workflows.Host.People;

public static class PeopleServiceCollectionExtensions
{
    /// <summary>
    /// The assignee directory over the database, and the demo organisation on an empty database. Call after the
    /// start-up tasks are registered: hosted services start in order, and the seed needs the migrated schema.
    /// </summary>
    public static IServiceCollection AddWorkflowsPeople(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<DemoDataOptions>(configuration.GetSection(WorkflowsOptions.Section));
        services.AddSingleton<IAssigneeDirectory, AssigneeDirectory>();
        services.AddHostedService<DemoDataSeeder>();
        return services;
    }
}
