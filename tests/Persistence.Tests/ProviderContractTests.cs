using Microsoft.EntityFrameworkCore;
using Workflows.Persistence.Entities;
using static Workflows.Persistence.Tests.Records;

namespace Workflows.Persistence.Tests;

/// <summary>
/// Behaviour every provider must share. Each subclass runs all of these against its own
/// real database; each test gets a fresh, empty database from <see cref="NewDatabaseAsync"/>.
/// </summary>
public abstract class ProviderContractTests : IAsyncDisposable
{
    /// <summary>An empty database (no migrations applied). May call Assert.Skip.</summary>
    protected abstract Task<DatabaseOptions> NewDatabaseAsync();

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected static WorkflowsDbContext Open(DatabaseOptions options) => WorkflowsDbContextFactory.Create(options);

    private async Task<DatabaseOptions> NewMigratedDatabaseAsync()
    {
        var options = await NewDatabaseAsync();
        await using var db = Open(options);
        await db.Database.MigrateAsync(Ct);
        return options;
    }

    [Fact]
    public async Task Migrations_apply_cleanly_to_an_empty_database()
    {
        var options = await NewDatabaseAsync();
        await using var db = Open(options);

        await db.Database.MigrateAsync(Ct);
        await db.Database.MigrateAsync(Ct); // a second run is a no-op

        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync(Ct));
        Assert.False(db.Database.HasPendingModelChanges());
        // Every table exists and takes a row.
        db.Definitions.Add(Definition("d", 1));
        db.Instances.Add(Instance("i1"));
        db.Bookmarks.Add(Bookmark("b1", "i1", T0));
        db.Timers.Add(Timer("t1", "i1", T0));
        db.Outbox.Add(Email("<m1@test>"));
        db.Journal.Add(Journal("i1", "Started"));
        Assert.Equal(6, await db.SaveChangesAsync(Ct));
    }

    [Fact]
    public async Task A_stale_instance_save_throws_a_concurrency_exception()
    {
        var options = await NewMigratedDatabaseAsync();
        await using (var setup = Open(options))
        {
            setup.Instances.Add(Instance("i1"));
            await setup.SaveChangesAsync(Ct);
        }
        await using var first = Open(options);
        await using var second = Open(options);
        var a = await first.Instances.SingleAsync(i => i.Id == "i1", Ct);
        var b = await second.Instances.SingleAsync(i => i.Id == "i1", Ct);

        a.Status = "Suspended";
        await first.SaveChangesAsync(Ct);
        b.Status = "Faulted";

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync(Ct));
        await using var check = Open(options);
        var stored = await check.Instances.SingleAsync(i => i.Id == "i1", Ct);
        Assert.Equal("Suspended", stored.Status);
        Assert.Equal(1, stored.Version);
    }

    [Fact]
    public async Task Racing_saves_of_one_instance_let_exactly_one_win()
    {
        var options = await NewMigratedDatabaseAsync();
        await using (var setup = Open(options))
        {
            setup.Instances.Add(Instance("i1"));
            await setup.SaveChangesAsync(Ct);
        }
        // Both load version 0 before either saves, so one of the UPDATEs must match no row.
        var bothLoaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loaded = 0;
        async Task<bool> SaveAsync(string status)
        {
            await using var db = Open(options);
            var row = await db.Instances.SingleAsync(i => i.Id == "i1", Ct);
            if (Interlocked.Increment(ref loaded) == 2) bothLoaded.SetResult();
            await bothLoaded.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            row.Status = status;
            try { await db.SaveChangesAsync(Ct); return true; }
            catch (DbUpdateConcurrencyException) { return false; }
        }

        var results = await Task.WhenAll(Task.Run(() => SaveAsync("A")), Task.Run(() => SaveAsync("B")));

        Assert.Single(results, won => won);
        await using var check = Open(options);
        var stored = await check.Instances.SingleAsync(i => i.Id == "i1", Ct);
        Assert.Equal(1, stored.Version);
        Assert.Equal(results[0] ? "A" : "B", stored.Status);
    }

    [Fact]
    public async Task Every_save_of_a_modified_instance_increments_its_version()
    {
        var options = await NewMigratedDatabaseAsync();
        await using var db = Open(options);
        var instance = Instance("i1");
        db.Instances.Add(instance);
        await db.SaveChangesAsync(Ct);
        Assert.Equal(0, instance.Version);

        instance.Status = "Suspended";
        await db.SaveChangesAsync(Ct);
        instance.Status = "Running";
        await db.SaveChangesAsync(Ct);
        await db.SaveChangesAsync(Ct); // nothing changed: no increment

        Assert.Equal(2, instance.Version);
    }

    [Fact]
    public async Task Due_timers_are_filtered_and_ordered_by_instant_whatever_their_offset()
    {
        var options = await NewMigratedDatabaseAsync();
        await using (var setup = Open(options))
        {
            setup.Instances.Add(Instance("i1"));
            // As text these would sort t-plus2, t-utc, t-minus1; as instants they are 08:00, 09:00, 08:30 UTC.
            setup.Timers.Add(Timer("t-plus2", "i1", new DateTimeOffset(2030, 1, 1, 10, 0, 0, TimeSpan.FromHours(2))));
            setup.Timers.Add(Timer("t-utc", "i1", new DateTimeOffset(2030, 1, 1, 9, 0, 0, TimeSpan.Zero)));
            setup.Timers.Add(Timer("t-minus1", "i1", new DateTimeOffset(2030, 1, 1, 7, 30, 0, TimeSpan.FromHours(-1))));
            setup.Timers.Add(Timer("t-later", "i1", new DateTimeOffset(2030, 1, 1, 9, 0, 1, TimeSpan.Zero)));
            setup.Timers.Add(Timer("t-fired", "i1", T0.AddHours(-1)));
            setup.Bookmarks.Add(Bookmark("b-due", "i1", T0));
            setup.Bookmarks.Add(Bookmark("b-none", "i1"));
            setup.Outbox.Add(Email("<now@test>"));
            setup.Outbox.Add(Email("<due@test>", T0));
            setup.Outbox.Add(Email("<later@test>", T0.AddDays(1)));
            await setup.SaveChangesAsync(Ct);
            var fired = await setup.Timers.SingleAsync(t => t.Id == "t-fired", Ct);
            fired.Status = TimerStatus.Fired;
            await setup.SaveChangesAsync(Ct);
        }
        await using var db = Open(options);
        var now = new DateTimeOffset(2030, 1, 1, 10, 0, 0, TimeSpan.FromHours(1)); // 09:00 UTC

        var due = await db.Timers
            .Where(t => t.Status == TimerStatus.Pending && t.DueAt <= now)
            .OrderBy(t => t.DueAt)
            .Select(t => t.Id)
            .ToListAsync(Ct);
        var dueBookmarks = await db.Bookmarks.Where(b => b.DueAt < now).Select(b => b.Id).ToListAsync(Ct);
        var sendable = await db.Outbox
            .Where(m => m.Status == OutboxStatus.Pending && (m.NextAttemptAt == null || m.NextAttemptAt <= now))
            // NULLs sort first on SQLite/SQL Server but last on PostgreSQL: say where they go.
            .OrderBy(m => m.NextAttemptAt == null ? 0 : 1).ThenBy(m => m.NextAttemptAt)
            .Select(m => m.MessageId)
            .ToListAsync(Ct);
        var earliest = await db.Timers.MinAsync(t => t.DueAt, Ct);

        Assert.Equal(["t-plus2", "t-minus1", "t-utc"], due);
        Assert.Equal(["b-due"], dueBookmarks);
        Assert.Equal(["<now@test>", "<due@test>"], sendable);
        Assert.Equal(T0.AddHours(-1), earliest);
    }

    [Fact]
    public async Task Date_times_read_back_as_the_same_instant_in_utc()
    {
        var options = await NewMigratedDatabaseAsync();
        var local = new DateTimeOffset(2030, 6, 1, 12, 30, 15, 123, TimeSpan.FromHours(5.5)).AddTicks(40);
        await using (var setup = Open(options))
        {
            var instance = Instance("i1");
            instance.CreatedAt = local;
            instance.FinishedAt = local;
            setup.Instances.Add(instance);
            await setup.SaveChangesAsync(Ct);
        }
        await using var db = Open(options);
        var stored = await db.Instances.SingleAsync(Ct);

        // PostgreSQL keeps microseconds, so compare at that precision.
        Assert.Equal(local.UtcTicks / 10, stored.CreatedAt.UtcTicks / 10);
        Assert.Equal(TimeSpan.Zero, stored.CreatedAt.Offset);
        Assert.Equal(stored.CreatedAt, stored.FinishedAt);
        Assert.Equal(TimeSpan.Zero, stored.FinishedAt!.Value.Offset);
    }

    [Fact]
    public async Task Deleting_an_instance_cascades_to_its_bookmarks_and_timers_but_not_its_journal()
    {
        var options = await NewMigratedDatabaseAsync();
        await using var db = Open(options);
        db.Instances.AddRange(Instance("i1"), Instance("i2"));
        db.Bookmarks.AddRange(Bookmark("b1", "i1"), Bookmark("b2", "i2"));
        db.Timers.AddRange(Timer("t1", "i1", T0), Timer("t2", "i2", T0));
        db.Journal.Add(Journal("i1", "Started"));
        await db.SaveChangesAsync(Ct);

        await db.Instances.Where(i => i.Id == "i1").ExecuteDeleteAsync(Ct);

        Assert.Equal(["b2"], await db.Bookmarks.Select(b => b.Id).ToListAsync(Ct));
        Assert.Equal(["t2"], await db.Timers.Select(t => t.Id).ToListAsync(Ct));
        Assert.Equal(1, await db.Journal.CountAsync(j => j.InstanceId == "i1", Ct));
    }

    [Fact]
    public async Task Definition_versions_and_outbox_message_ids_are_unique()
    {
        var options = await NewMigratedDatabaseAsync();
        await using (var db = Open(options))
        {
            db.Definitions.AddRange(Definition("d", 1), Definition("d", 2), Definition("other", 1));
            db.Outbox.Add(Email("<m1@test>"));
            await db.SaveChangesAsync(Ct);
        }
        await using (var db = Open(options))
        {
            db.Definitions.Add(Definition("d", 2));
            await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));
        }
        await using (var db = Open(options))
        {
            db.Outbox.Add(Email("<m1@test>"));
            await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));
        }
    }
}
