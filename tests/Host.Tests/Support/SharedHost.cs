using Workflows.Testing;

namespace Workflows.Host.Tests.Support;

/// <summary>
/// One Host for all the tests of a class (a class fixture), with event-wait v1 published. Its tests run one
/// after the other and must not depend on each other: each starts its own instances.
/// </summary>
public abstract class SharedHostFixture : IAsyncLifetime
{
    private TestHost? _host;

    public TestHost Host => _host ?? throw new InvalidOperationException("The shared Host is not started.");

    protected abstract Task<TestDatabase> NewDatabaseAsync();
    protected virtual void Cleanup() { }

    public async ValueTask InitializeAsync()
    {
        _host = await TestHost.StartAsync(await NewDatabaseAsync());
        await _host.Client.ImportAsync(HostApi.Workflow("event-wait.json"));
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        _host = null;
        Cleanup();
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteSharedHost : SharedHostFixture
{
    private readonly SqliteDatabases _databases = new();
    protected override Task<TestDatabase> NewDatabaseAsync() => Task.FromResult(_databases.Create());
    protected override void Cleanup() => _databases.Dispose();
}

public sealed class PostgreSqlSharedHost(PostgresServer server) : SharedHostFixture
{
    protected override Task<TestDatabase> NewDatabaseAsync() => new PostgresDatabases(server).CreateAsync();
}
