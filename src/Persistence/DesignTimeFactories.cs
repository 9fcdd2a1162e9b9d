using Microsoft.EntityFrameworkCore.Design;

namespace Workflows.Persistence;

// Used only by the EF tools (`dotnet ef ... --project src/Persistence --context X`) so
// migrations can be added and checked without the Host. `migrations add` and
// `has-pending-model-changes` never open these connections; for `database update` pass
// the real one with `--connection`.

public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteWorkflowsDbContext>
{
    public SqliteWorkflowsDbContext CreateDbContext(string[] args) => new(
        WorkflowsDbContextFactory.BuildOptions<SqliteWorkflowsDbContext>(new DatabaseOptions
        {
            Provider = DatabaseProvider.Sqlite,
            ConnectionString = "Data Source=workflows-design.db",
        }));
}

public sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlWorkflowsDbContext>
{
    public PostgreSqlWorkflowsDbContext CreateDbContext(string[] args) => new(
        WorkflowsDbContextFactory.BuildOptions<PostgreSqlWorkflowsDbContext>(new DatabaseOptions
        {
            Provider = DatabaseProvider.PostgreSql,
            ConnectionString = "Host=localhost;Database=workflows;Username=postgres",
        }));
}

public sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerWorkflowsDbContext>
{
    public SqlServerWorkflowsDbContext CreateDbContext(string[] args) => new(
        WorkflowsDbContextFactory.BuildOptions<SqlServerWorkflowsDbContext>(new DatabaseOptions
        {
            Provider = DatabaseProvider.SqlServer,
            ConnectionString = "Server=localhost;Database=Workflows;Integrated Security=true;TrustServerCertificate=true",
        }));
}
