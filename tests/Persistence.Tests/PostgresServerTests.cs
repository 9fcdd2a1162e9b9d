using Npgsql;
using Workflows.Testing;

namespace Workflows.Persistence.Tests;

public sealed class PostgresServerTests(PostgresServer server)
{
    [Fact]
    public async Task A_created_database_is_a_separate_database_on_a_real_server()
    {
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await server.CreateDatabaseAsync($"probe_{Guid.NewGuid():N}");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("select current_database(), current_setting('server_version_num')::int", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        Assert.True(await reader.ReadAsync(ct));

        Assert.StartsWith("probe_", reader.GetString(0));
        Assert.True(reader.GetInt32(1) >= 130000, "expected PostgreSQL 13 or newer");
        Assert.Equal("127.0.0.1", server.Host);
        Assert.Contains("/usr/lib/postgresql/", server.BinDirectory);
    }
}
