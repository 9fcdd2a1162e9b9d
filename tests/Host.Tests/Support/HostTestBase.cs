using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Workflows.Testing;

namespace Workflows.Host.Tests.Support;

/// <summary>
/// Base of the tests that run once per database: each subclass gives a fresh database per call of
/// <see cref="NewDatabaseAsync"/>; every Host a test starts is disposed after it.
/// </summary>
public abstract class HostTestBase : IAsyncDisposable
{
    private readonly List<TestHost> _hosts = [];

    protected abstract Task<TestDatabase> NewDatabaseAsync();

    /// <summary>Called after every Host is gone (delete files).</summary>
    protected virtual void Cleanup() { }

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Starts a Host on <paramref name="database"/> (a new one when null).</summary>
    protected async Task<TestHost> StartHostAsync(TestDatabase? database = null, FakeTimeProvider? time = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var host = await TestHost.StartAsync(database ?? await NewDatabaseAsync(), time, settings);
        _hosts.Add(host);
        return host;
    }

    /// <summary>Stops a Host before the test ends (a restart).</summary>
    protected async Task StopHostAsync(TestHost host)
    {
        _hosts.Remove(host);
        await host.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts) await host.DisposeAsync();
        _hosts.Clear();
        Cleanup();
        GC.SuppressFinalize(this);
    }
}

/// <summary>SQLite: each database is its own file in a temp folder of the test.</summary>
public sealed class SqliteDatabases : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("workflows-host-").FullName;
    private readonly List<string> _connectionStrings = [];

    public TestDatabase Create()
    {
        var cs = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, $"{Guid.NewGuid():N}.db") }.ToString();
        _connectionStrings.Add(cs);
        return new TestDatabase("Sqlite", cs);
    }

    public void Dispose()
    {
        foreach (var cs in _connectionStrings)
        {
            using var connection = new SqliteConnection(cs);
            SqliteConnection.ClearPool(connection);
        }
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>PostgreSQL: each database is a new database on the assembly's server.</summary>
public sealed class PostgresDatabases(PostgresServer server)
{
    public async Task<TestDatabase> CreateAsync() => new("PostgreSql", await server.CreateUniqueDatabaseAsync("host"));
}
