using Microsoft.EntityFrameworkCore;
using Workflows.Persistence.Converters;

namespace Workflows.Persistence;

// One subclass per provider: each gets its own migrations (Migrations/<Provider>), since
// generated DDL differs per provider.

public sealed class SqliteWorkflowsDbContext(DbContextOptions<SqliteWorkflowsDbContext> options)
    : WorkflowsDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // Replaces the base converter: SQLite cannot compare or order DateTimeOffset.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksDateTimeOffsetConverter>();
    }
}

public sealed class PostgreSqlWorkflowsDbContext(DbContextOptions<PostgreSqlWorkflowsDbContext> options)
    : WorkflowsDbContext(options);

public sealed class SqlServerWorkflowsDbContext(DbContextOptions<SqlServerWorkflowsDbContext> options)
    : WorkflowsDbContext(options);
