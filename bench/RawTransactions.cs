using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Workflows.Bench;

/// <summary>
/// The raw transaction rate of the database the runtime uses: plain ADO.NET on the connection type EF uses
/// (Microsoft.Data.Sqlite / Npgsql), the same connection string, a pooled connection per transaction (as EF
/// opens one per context), and per transaction one UPDATE of the caller's own row and two INSERTs.
/// </summary>
internal sealed class RawTransactions(string database, string connectionString, int sqliteBusyTimeoutMs = 0)
{
    /// <summary>The size of each inserted payload: about a journal row.</summary>
    public const int PayloadLength = 200;
    private static readonly string Payload = new('x', PayloadLength);

    private bool IsPostgres => database == DatabaseScenario.PostgreSql;

    private DbConnection Create() => IsPostgres ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);

    /// <summary>bench_counter(id, n) with rows 1..<paramref name="rows"/>, and an empty bench_log(id, payload).</summary>
    public async Task CreateTablesAsync(int rows)
    {
        await using var connection = Create();
        await connection.OpenAsync();
        var ddl = IsPostgres
            ? $"""
               CREATE TABLE bench_counter (id integer PRIMARY KEY, n bigint NOT NULL);
               CREATE TABLE bench_log (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload text NOT NULL);
               INSERT INTO bench_counter (id, n) SELECT g, 0 FROM generate_series(1, {rows}) AS g;
               """
            : $"""
               CREATE TABLE bench_counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL);
               CREATE TABLE bench_log (id INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT NOT NULL);
               WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < {rows})
               INSERT INTO bench_counter (id, n) SELECT x, 0 FROM s;
               """;
        await using var command = connection.CreateCommand();
        command.CommandText = ddl;
        await command.ExecuteNonQueryAsync();
    }

    public async Task<string> ServerVersionAsync()
    {
        await using var connection = Create();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = IsPostgres ? "SHOW server_version" : "SELECT sqlite_version()";
        return Convert.ToString(await command.ExecuteScalarAsync()) ?? "?";
    }

    /// <summary>One transaction: UPDATE bench_counter row <paramref name="id"/>, INSERT two bench_log rows, COMMIT.</summary>
    public async Task RunOneAsync(int id)
    {
        await using var connection = Create();
        await connection.OpenAsync();
        if (sqliteBusyTimeoutMs > 0 && !IsPostgres)
        {
            // SQLite's own busy handler (short, growing sleeps) instead of Microsoft.Data.Sqlite's retry every 150 ms.
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = $"PRAGMA busy_timeout = {sqliteBusyTimeoutMs}";
            await pragma.ExecuteNonQueryAsync();
        }
        await using var tx = await connection.BeginTransactionAsync();

        await using (var update = connection.CreateCommand())
        {
            update.Transaction = tx;
            update.CommandText = "UPDATE bench_counter SET n = n + 1 WHERE id = @id";
            Add(update, "id", id);
            if (await update.ExecuteNonQueryAsync() != 1) throw new InvalidOperationException($"bench_counter row {id} is missing.");
        }
        for (var i = 0; i < 2; i++)
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO bench_log (payload) VALUES (@payload)";
            Add(insert, "payload", Payload);
            await insert.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
    }

    /// <summary>Every transaction committed: each row updated once, two log rows each.</summary>
    public async Task<bool> VerifyAsync(int transactions)
    {
        await using var connection = Create();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM bench_counter WHERE n = 1), (SELECT COUNT(*) FROM bench_log)";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return reader.GetInt64(0) == transactions && reader.GetInt64(1) == 2L * transactions;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
