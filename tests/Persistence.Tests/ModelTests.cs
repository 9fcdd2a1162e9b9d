using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Persistence.Entities;
using static Workflows.Persistence.Tests.Records;

namespace Workflows.Persistence.Tests;

/// <summary>Checks of the model and its wiring that need no real server.</summary>
public sealed class ModelTests : IDisposable
{
    private readonly SqliteConnection _memory = new("Data Source=:memory:");

    public ModelTests() => _memory.Open();

    public void Dispose() => _memory.Dispose();

    private static DatabaseOptions Options(DatabaseProvider provider) => new()
    {
        Provider = provider,
        ConnectionString = provider switch
        {
            DatabaseProvider.Sqlite => "Data Source=unused.db",
            DatabaseProvider.PostgreSql => "Host=localhost;Database=unused",
            _ => "Server=localhost;Database=unused",
        },
    };

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    [InlineData(DatabaseProvider.SqlServer)]
    public void Every_provider_has_migrations_covering_the_whole_model(DatabaseProvider provider)
    {
        using var db = WorkflowsDbContextFactory.Create(Options(provider));

        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(), $"{provider}: run `dotnet ef migrations add` (see src/Persistence/README.md).");
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite, typeof(SqliteWorkflowsDbContext))]
    [InlineData(DatabaseProvider.PostgreSql, typeof(PostgreSqlWorkflowsDbContext))]
    [InlineData(DatabaseProvider.SqlServer, typeof(SqlServerWorkflowsDbContext))]
    public void The_factory_and_the_container_create_the_provider_specific_context(DatabaseProvider provider, Type expected)
    {
        using var created = WorkflowsDbContextFactory.Create(Options(provider));
        using var services = new ServiceCollection().AddWorkflowsPersistence(Options(provider)).BuildServiceProvider();
        using var scope = services.CreateScope();
        var scoped = scope.ServiceProvider.GetRequiredService<WorkflowsDbContext>();
        using var fromFactory = services.GetRequiredService<IDbContextFactory<WorkflowsDbContext>>().CreateDbContext();

        Assert.IsType(expected, created);
        Assert.IsType(expected, scoped);
        Assert.Same(scoped, scope.ServiceProvider.GetRequiredService(expected));
        Assert.IsType(expected, fromFactory);
        Assert.Equal(expected, WorkflowsDbContextFactory.ContextType(provider));
    }

    [Fact]
    public void A_missing_connection_string_is_rejected_up_front()
    {
        Assert.Throws<ArgumentException>(() => WorkflowsDbContextFactory.Create(new DatabaseOptions { Provider = DatabaseProvider.PostgreSql }));
    }

    [Fact]
    public void Tables_and_columns_are_snake_case()
    {
        using var db = WorkflowsDbContextFactory.Create(Options(DatabaseProvider.PostgreSql));
        var timers = db.Model.FindEntityType(typeof(TimerRecord))!;

        Assert.Equal("timers", timers.GetTableName());
        Assert.Equal("scheduled_job_id", timers.FindProperty(nameof(TimerRecord.ScheduledJobId))!.GetColumnName());
        Assert.Equal("outbox_messages", db.Model.FindEntityType(typeof(OutboxMessage))!.GetTableName());
        Assert.Equal("html_body", WorkflowsDbContext.ToSnakeCase("HTMLBody"));
    }

    [Fact]
    public async Task Journal_entries_cannot_be_updated()
    {
        await using var db = new SqliteWorkflowsDbContext(
            new DbContextOptionsBuilder<SqliteWorkflowsDbContext>().UseSqlite(_memory).Options);
        await db.Database.MigrateAsync(TestContext.Current.CancellationToken);
        var entry = Journal("i1", "Started");
        db.Journal.Add(entry);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);

        entry.Summary = "rewritten";

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));
    }
}
