using Workflows.Host.Tests.Support;
using Workflows.Testing;

// The Auth tests run on SQLite and on the assembly's PostgreSQL, like the other Host tests.

namespace Workflows.Host.Tests.Auth;

public sealed class SqliteAuthTests : AuthTests
{
    private readonly SqliteDatabases _databases = new();
    protected override Task<TestDatabase> NewDatabaseAsync() => Task.FromResult(_databases.Create());
    protected override void Cleanup() { base.Cleanup(); _databases.Dispose(); }
}

public sealed class PostgreSqlAuthTests(PostgresServer server) : AuthTests
{
    protected override Task<TestDatabase> NewDatabaseAsync() => new PostgresDatabases(server).CreateAsync();
}

public sealed class SqliteOrganizationTests : OrganizationTests
{
    private readonly SqliteDatabases _databases = new();
    protected override Task<TestDatabase> NewDatabaseAsync() => Task.FromResult(_databases.Create());
    protected override void Cleanup() => _databases.Dispose();
}

public sealed class PostgreSqlOrganizationTests(PostgresServer server) : OrganizationTests
{
    protected override Task<TestDatabase> NewDatabaseAsync() => new PostgresDatabases(server).CreateAsync();
}

public sealed class SqliteInstanceAccessTests : InstanceAccessTests
{
    private readonly SqliteDatabases _databases = new();
    protected override Task<TestDatabase> NewDatabaseAsync() => Task.FromResult(_databases.Create());
    protected override void Cleanup() => _databases.Dispose();
}

public sealed class PostgreSqlInstanceAccessTests(PostgresServer server) : InstanceAccessTests
{
    protected override Task<TestDatabase> NewDatabaseAsync() => new PostgresDatabases(server).CreateAsync();
}
