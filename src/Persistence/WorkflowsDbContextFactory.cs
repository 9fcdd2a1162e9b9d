using Microsoft.EntityFrameworkCore;

namespace Workflows.Persistence;

/// <summary>Creates the provider-specific context for a <see cref="DatabaseOptions"/> without DI.</summary>
public static class WorkflowsDbContextFactory
{
    public static WorkflowsDbContext Create(DatabaseOptions options) => Validate(options).Provider switch
    {
        DatabaseProvider.Sqlite => new SqliteWorkflowsDbContext(BuildOptions<SqliteWorkflowsDbContext>(options)),
        DatabaseProvider.PostgreSql => new PostgreSqlWorkflowsDbContext(BuildOptions<PostgreSqlWorkflowsDbContext>(options)),
        DatabaseProvider.SqlServer => new SqlServerWorkflowsDbContext(BuildOptions<SqlServerWorkflowsDbContext>(options)),
        _ => throw Unknown(options.Provider),
    };

    /// <summary>The concrete context class used for <paramref name="provider"/>.</summary>
    public static Type ContextType(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => typeof(SqliteWorkflowsDbContext),
        DatabaseProvider.PostgreSql => typeof(PostgreSqlWorkflowsDbContext),
        DatabaseProvider.SqlServer => typeof(SqlServerWorkflowsDbContext),
        _ => throw Unknown(provider),
    };

    public static DbContextOptions<TContext> BuildOptions<TContext>(DatabaseOptions options)
        where TContext : WorkflowsDbContext
    {
        var builder = new DbContextOptionsBuilder<TContext>();
        Configure(builder, options);
        return builder.Options;
    }

    /// <summary>Points <paramref name="builder"/> at the configured provider and connection string.</summary>
    public static void Configure(DbContextOptionsBuilder builder, DatabaseOptions options)
    {
        Validate(options);
        _ = options.Provider switch
        {
            DatabaseProvider.Sqlite => PlainSqliteRelationalConnection.Use(builder.UseSqlite(options.ConnectionString)),
            DatabaseProvider.PostgreSql => builder.UseNpgsql(options.ConnectionString),
            DatabaseProvider.SqlServer => builder.UseSqlServer(options.ConnectionString),
            _ => throw Unknown(options.Provider),
        };
    }

    private static DatabaseOptions Validate(DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            throw new ArgumentException($"A connection string is required for the {options.Provider} provider.", nameof(options));
        return options;
    }

    private static ArgumentOutOfRangeException Unknown(DatabaseProvider provider) =>
        new(nameof(provider), provider, "Unknown database provider.");
}
