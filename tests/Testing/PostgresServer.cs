using System.Text.RegularExpressions;
using Npgsql;
using Xunit;

namespace Workflows.Testing;

/// <summary>
/// A throwaway, real PostgreSQL server (initdb into a temp directory, pg_ctl start on a free
/// loopback port, trust auth for user <c>postgres</c>), removed again on dispose.
/// Share one per test assembly with <c>[assembly: AssemblyFixture(typeof(PostgresServer))]</c>
/// and take it as a constructor parameter; give each test its own database via
/// <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed partial class PostgresServer : IAsyncLifetime
{
    private string? _root;

    public string Host => "127.0.0.1";
    public int Port { get; private set; }
    /// <summary>Folder holding initdb/pg_ctl of the newest installed PostgreSQL.</summary>
    public string BinDirectory { get; } = FindBinDirectory();
    private string DataDirectory => Path.Combine(_root!, "data");
    private string LogFile => Path.Combine(_root!, "postgres.log");

    public static async Task<PostgresServer> StartAsync()
    {
        var server = new PostgresServer();
        await server.InitializeAsync().ConfigureAwait(false);
        return server;
    }

    public async ValueTask InitializeAsync()
    {
        if (_root is not null) return;
        _root = Directory.CreateTempSubdirectory("workflows-pg-").FullName;
        try
        {
            // PostgreSQL will not run as root, so as root the server runs as the postgres OS
            // user, who must own the directory.
            if (ProcessRunner.IsRoot)
                await ProcessRunner.RunAsync("chown", ["postgres", _root]).ConfigureAwait(false);
            // --no-locale: the machine's locale may not be generated; --no-sync: speed, data is throwaway.
            await RunPgAsync("initdb", ["-D", DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                "--no-locale", "--no-sync"]).ConfigureAwait(false);
            await StartWithRetriesAsync().ConfigureAwait(false);
        }
        catch
        {
            await DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task StartWithRetriesAsync()
    {
        // The free port can be taken between choosing and binding it: try a few.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort.Next();
            try
            {
                // -k: socket in our own dir (the default /var/run/postgresql may not exist or be
                // writable); -F: no fsync, the data is throwaway.
                var serverOptions = $"-p {Port} -k {_root} -h {Host} -F -c max_connections=300";
                await RunPgAsync("pg_ctl", ["-D", DataDirectory, "-l", LogFile, "-o", serverOptions, "-w", "-t", "60", "start"])
                    .ConfigureAwait(false);
                return;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // retried on another port
            }
            catch (InvalidOperationException e)
            {
                var log = File.Exists(LogFile) ? await File.ReadAllTextAsync(LogFile).ConfigureAwait(false) : "";
                throw new InvalidOperationException($"PostgreSQL did not start: {e.Message}\nServer log:\n{log}", e);
            }
        }
    }

    /// <summary>Npgsql connection string for <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            Username = "postgres",
            Database = database,
            // Every test database gets its own pool; idle connections go back quickly so that hundreds of
            // short-lived test Hosts never exhaust the server's max_connections.
            ConnectionIdleLifetime = 2,
            ConnectionPruningInterval = 1,
            MaxPoolSize = 40,
        }.ConnectionString;

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        if (!IdentifierRegex().IsMatch(name))
            throw new ArgumentException("Use lower-case letters, digits and underscores (max 63).", nameof(name));
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        return ConnectionString(name);
    }

    /// <summary>Creates a database with a unique name, for tests that run in parallel.</summary>
    public Task<string> CreateUniqueDatabaseAsync(string prefix = "test") =>
        CreateDatabaseAsync($"{prefix}_{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 33)]);

    public async ValueTask DisposeAsync()
    {
        if (_root is null) return;
        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
                await RunPgAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]).ConfigureAwait(false);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            _root = null;
        }
    }

    private Task<string> RunPgAsync(string tool, IEnumerable<string> args) =>
        ProcessRunner.RunAsync(Path.Combine(BinDirectory, tool), args, asPostgresUser: true, workingDirectory: _root);

    /// <summary>
    /// The newest /usr/lib/postgresql/N/bin (Debian's layout). Preferred over PATH because
    /// /usr/local/bin/initdb may be a wrapper; PATH is the fallback for other layouts.
    /// </summary>
    private static string FindBinDirectory()
    {
        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.GetDirectories(debianRoot)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: ParseVersion(Path.GetFileName(d))))
                .Where(x => x.Version is not null && File.Exists(Path.Combine(x.Dir, "initdb")) && File.Exists(Path.Combine(x.Dir, "pg_ctl")))
                .OrderByDescending(x => x.Version)
                .Select(x => x.Dir)
                .FirstOrDefault();
            if (newest is not null) return newest;
        }
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
        return onPath ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found in /usr/lib/postgresql/*/bin or on PATH. " +
            "These tests need a real PostgreSQL: install it with `apt-get install -y postgresql`.");
    }

    private static Version? ParseVersion(string name) =>
        Version.TryParse(name.Contains('.') ? name : name + ".0", out var v) ? v : null;

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex IdentifierRegex();
}
