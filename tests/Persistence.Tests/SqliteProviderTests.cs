using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Workflows.Persistence.Tests;

/// <summary>The provider contract on SQLite, each test on its own temp file.</summary>
public sealed class SqliteProviderTests : ProviderContractTests
{
    private readonly List<string> _files = [];

    protected override Task<DatabaseOptions> NewDatabaseAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"workflows-test-{Guid.NewGuid():N}.db");
        _files.Add(path);
        // No pooling, so no connection keeps the file open after the test.
        var cs = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString;
        return Task.FromResult(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = cs });
    }

    [Fact]
    public async Task Contexts_open_plain_connections_without_EFs_SQL_functions()
    {
        // PlainSqliteRelationalConnection: EF's regexp and ef_* functions cost every open of a connection about 20 µs
        // and eleven finalizers, and nothing in the model needs them. If a query ever does, this is the test that says
        // why it fails with "no such function".
        var options = await NewDatabaseAsync();
        await using var db = Open(options);
        await db.Database.MigrateAsync(Ct);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT regexp('a', 'a')";
        var error = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteScalarAsync(Ct));
        Assert.Contains("no such function: regexp", error.Message);
        command.CommandText = "SELECT ef_add(1, 2)";
        Assert.Contains("no such function: ef_add", (await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteScalarAsync(Ct))).Message);
        // Queries of the model still work.
        Assert.Equal(0, await db.Journal.CountAsync(j => j.InstanceId.StartsWith("x") && j.Summary!.Contains("y"), Ct));
    }

    public override ValueTask DisposeAsync()
    {
        foreach (var file in _files.SelectMany(f => new[] { f, f + "-wal", f + "-shm", f + "-journal" }))
            File.Delete(file);
        return base.DisposeAsync();
    }
}
