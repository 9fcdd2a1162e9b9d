using Workflows.Host.Tests.Support;
using Workflows.Testing;

// Every abstract test class runs once on SQLite (a temp file per database) and once on the real
// PostgreSQL of the assembly (a new database per database).

namespace Workflows.Host.Tests;

public sealed class SqliteWorkflowFlowTests : WorkflowFlowTests
{
    private readonly SqliteDatabases _databases = new();
    protected override Task<TestDatabase> NewDatabaseAsync() => Task.FromResult(_databases.Create());
    protected override void Cleanup() => _databases.Dispose();
}

public sealed class PostgreSqlWorkflowFlowTests(PostgresServer server) : WorkflowFlowTests
{
    protected override Task<TestDatabase> NewDatabaseAsync() => new PostgresDatabases(server).CreateAsync();
}

public sealed class SqliteTimerTests : TimerTests
{
    private readonly SqliteDatabases _databases = new();
    protected override Task<TestDatabase> NewDatabaseAsync() => Task.FromResult(_databases.Create());
    protected override void Cleanup() => _databases.Dispose();
}

public sealed class PostgreSqlTimerTests(PostgresServer server) : TimerTests
{
    protected override Task<TestDatabase> NewDatabaseAsync() => new PostgresDatabases(server).CreateAsync();
}

public sealed class SqliteConcurrencyTests : ConcurrencyTests
{
    private readonly SqliteDatabases _databases = new();
    protected override Task<TestDatabase> NewDatabaseAsync() => Task.FromResult(_databases.Create());
    protected override void Cleanup() => _databases.Dispose();
}

public sealed class PostgreSqlConcurrencyTests(PostgresServer server) : ConcurrencyTests
{
    protected override Task<TestDatabase> NewDatabaseAsync() => new PostgresDatabases(server).CreateAsync();
}

public sealed class SqliteBadInputTests(SqliteSharedHost shared) : BadInputTests(shared), IClassFixture<SqliteSharedHost>;

public sealed class PostgreSqlBadInputTests(PostgreSqlSharedHost shared) : BadInputTests(shared), IClassFixture<PostgreSqlSharedHost>;

public sealed class SqliteDefinitionVersionTests : DefinitionVersionTests
{
    private readonly SqliteDatabases _databases = new();
    protected override Task<TestDatabase> NewDatabaseAsync() => Task.FromResult(_databases.Create());
    protected override void Cleanup() => _databases.Dispose();
}

public sealed class PostgreSqlDefinitionVersionTests(PostgresServer server) : DefinitionVersionTests
{
    protected override Task<TestDatabase> NewDatabaseAsync() => new PostgresDatabases(server).CreateAsync();
}

public sealed class SqliteHealthAndDocsTests : HealthAndDocsTests
{
    private readonly SqliteDatabases _databases = new();
    protected override Task<TestDatabase> NewDatabaseAsync() => Task.FromResult(_databases.Create());
    protected override void Cleanup() => _databases.Dispose();
}

public sealed class PostgreSqlHealthAndDocsTests(PostgresServer server) : HealthAndDocsTests
{
    protected override Task<TestDatabase> NewDatabaseAsync() => new PostgresDatabases(server).CreateAsync();
}
