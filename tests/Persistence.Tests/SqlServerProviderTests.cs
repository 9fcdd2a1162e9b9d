using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;

namespace Workflows.Persistence.Tests;

/// <summary>
/// The provider contract on SQL Server, which cannot be installed here: it runs only when
/// WORKFLOWS_TEST_SQLSERVER holds a connection string (to a server where the login may create
/// databases) and is reported as skipped, not passed, otherwise.
/// </summary>
public sealed class SqlServerProviderTests : ProviderContractTests
{
    public const string EnvironmentVariable = "WORKFLOWS_TEST_SQLSERVER";
    private readonly List<DatabaseOptions> _created = [];

    protected override Task<DatabaseOptions> NewDatabaseAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(connectionString))
            Assert.Skip($"Set {EnvironmentVariable} to a SQL Server connection string to run the SQL Server tests.");
        // A fresh database per test (dropped afterwards) rather than the one named in the variable.
        var builder = new SqlConnectionStringBuilder(connectionString)
        {
            InitialCatalog = $"workflows_test_{Guid.NewGuid():N}",
        };
        var options = new DatabaseOptions { Provider = DatabaseProvider.SqlServer, ConnectionString = builder.ConnectionString };
        _created.Add(options);
        return Task.FromResult(options);
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var options in _created)
        {
            await using var db = Open(options);
            await db.Database.EnsureDeletedAsync();
        }
        await base.DisposeAsync();
    }
}
