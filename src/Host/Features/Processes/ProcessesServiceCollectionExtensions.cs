using Microsoft.Extensions.DependencyInjection.Extensions;
using Workflows.Host.Features.Dashboard;
using Workflows.Host.Features.Kpis;

namespace Workflows.Host.Features.Processes;

public static class ProcessesServiceCollectionExtensions
{
    /// <summary>
    /// The KPI calculator, and the dashboard's <see cref="IKpiService"/> over it (replacing the one registered by the
    /// web UI, which is why this is called after it).
    /// </summary>
    public static IServiceCollection AddWorkflowsProcesses(this IServiceCollection services)
    {
        services.AddSingleton<KpiCalculator>();
        services.Replace(ServiceDescriptor.Singleton<IKpiService, ProcessKpiService>());
        return services;
    }

    public static IEndpointRouteBuilder MapWorkflowsProcesses(this IEndpointRouteBuilder app)
    {
        app.MapProcessesApi();
        app.MapPublicityApi();
        app.MapKpisApi();
        return app;
    }
}
