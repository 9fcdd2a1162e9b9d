using Workflows.Host.Tests.Support;
using Workflows.Testing;

namespace Workflows.Host.Tests.Tasks;

public sealed class SqliteApprovalInboxTests : ApprovalInboxTests
{
    private readonly SqliteDatabases _databases = new();
    protected override Task<TestDatabase> NewDatabaseAsync() => Task.FromResult(_databases.Create());
    protected override void Cleanup() => _databases.Dispose();
}

public sealed class PostgreSqlApprovalInboxTests(PostgresServer server) : ApprovalInboxTests
{
    protected override Task<TestDatabase> NewDatabaseAsync() => new PostgresDatabases(server).CreateAsync();
}
