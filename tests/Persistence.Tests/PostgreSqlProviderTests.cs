using Workflows.Testing;

namespace Workflows.Persistence.Tests;

/// <summary>The provider contract on the real PostgreSQL shared by the assembly, a database per test.</summary>
public sealed class PostgreSqlProviderTests(PostgresServer server) : ProviderContractTests
{
    protected override async Task<DatabaseOptions> NewDatabaseAsync() => new()
    {
        Provider = DatabaseProvider.PostgreSql,
        ConnectionString = await server.CreateUniqueDatabaseAsync("persistence"),
    };
}
