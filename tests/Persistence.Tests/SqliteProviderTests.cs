using Microsoft.Data.Sqlite;

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

    public override ValueTask DisposeAsync()
    {
        foreach (var file in _files.SelectMany(f => new[] { f, f + "-wal", f + "-shm", f + "-journal" }))
            File.Delete(file);
        return base.DisposeAsync();
    }
}
