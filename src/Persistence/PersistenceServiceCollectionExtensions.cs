using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Workflows.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>
    /// Registers the provider-specific context and exposes it as <see cref="WorkflowsDbContext"/>
    /// (scoped) and <see cref="IDbContextFactory{WorkflowsDbContext}"/> (singleton, for
    /// background work that outlives a scope), plus <paramref name="options"/> itself.
    /// </summary>
    public static IServiceCollection AddWorkflowsPersistence(this IServiceCollection services, DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        WorkflowsDbContextFactory.ContextType(options.Provider); // fail fast on a bad provider
        services.AddSingleton(options);
        return options.Provider switch
        {
            DatabaseProvider.Sqlite => Register<SqliteWorkflowsDbContext>(services, options),
            DatabaseProvider.PostgreSql => Register<PostgreSqlWorkflowsDbContext>(services, options),
            _ => Register<SqlServerWorkflowsDbContext>(services, options),
        };
    }

    private static IServiceCollection Register<TContext>(IServiceCollection services, DatabaseOptions options)
        where TContext : WorkflowsDbContext
    {
        // A pooled factory: every runtime call creates a context, and a pooled one skips most of a new context's set-up
        // (its internal service provider scope, state manager, change tracker). The contexts keep no state of their own,
        // and EF resets what a caller changed (tracking, AutoSavepointsEnabled, …) when a context goes back to the pool.
        services.AddPooledDbContextFactory<TContext>(b => WorkflowsDbContextFactory.Configure(b, options));
        // The scoped context of request handlers: leased from the same pool, returned when the scope ends.
        services.TryAddScoped<TContext>(sp => sp.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext());
        services.AddScoped<WorkflowsDbContext>(sp => sp.GetRequiredService<TContext>());
        services.AddSingleton<IDbContextFactory<WorkflowsDbContext>>(
            sp => new FactoryAdapter<TContext>(sp.GetRequiredService<IDbContextFactory<TContext>>()));
        return services;
    }

    // IDbContextFactory<T> is not covariant, so the typed factory is wrapped.
    private sealed class FactoryAdapter<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<WorkflowsDbContext>
        where TContext : WorkflowsDbContext
    {
        public WorkflowsDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
