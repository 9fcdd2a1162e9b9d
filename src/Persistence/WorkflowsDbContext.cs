using System.Text;
using Microsoft.EntityFrameworkCore;
using Workflows.Persistence.Converters;
using Workflows.Persistence.Entities;

namespace Workflows.Persistence;

/// <summary>
/// The one EF Core model of the engine. Abstract because each provider has its own subclass
/// (and its own migrations); resolve or create it through
/// <see cref="WorkflowsDbContextFactory"/> or <see cref="PersistenceServiceCollectionExtensions"/>.
/// </summary>
public abstract class WorkflowsDbContext : DbContext
{
    protected WorkflowsDbContext(DbContextOptions options) : base(options) { }

    public DbSet<DefinitionRecord> Definitions => Set<DefinitionRecord>();
    public DbSet<InstanceRecord> Instances => Set<InstanceRecord>();
    public DbSet<BookmarkRecord> Bookmarks => Set<BookmarkRecord>();
    public DbSet<TimerRecord> Timers => Set<TimerRecord>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<JournalEntry> Journal => Set<JournalEntry>();
    public DbSet<OrgUnit> OrgUnits => Set<OrgUnit>();
    public DbSet<UserRecord> Users => Set<UserRecord>();
    public DbSet<RoleAssignment> RoleAssignments => Set<RoleAssignment>();
    public DbSet<HumanTask> Tasks => Set<HumanTask>();
    public DbSet<NotificationRecord> Notifications => Set<NotificationRecord>();
    public DbSet<ActionLink> ActionLinks => Set<ActionLink>();
    public DbSet<SigningKeyRecord> SigningKeys => Set<SigningKeyRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(WorkflowsDbContext).Assembly);
        // snake_case columns (tables are named in the configurations) so hand-written SQL,
        // e.g. PostgreSQL's FOR UPDATE SKIP LOCKED outbox claim, needs no quoting.
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
            foreach (var property in entity.GetProperties())
                property.SetColumnName(ToSnakeCase(property.Name));
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Applies to DateTimeOffset? too.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcDateTimeOffsetConverter>();
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var detect = BeforeSave();
        try { return base.SaveChanges(acceptAllChangesOnSuccess); }
        finally { ChangeTracker.AutoDetectChangesEnabled = detect; }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var detect = BeforeSave();
        try { return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken); }
        finally { ChangeTracker.AutoDetectChangesEnabled = detect; }
    }

    /// <summary>
    /// Detects changes once and then switches automatic detection off for the save (base.SaveChanges and each
    /// Entries() call would otherwise scan every tracked entity again); returns the setting to restore.
    /// </summary>
    private bool BeforeSave()
    {
        var detect = ChangeTracker.AutoDetectChangesEnabled;
        ChangeTracker.DetectChanges();
        ChangeTracker.AutoDetectChangesEnabled = false;
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State != EntityState.Modified) continue;
            switch (entry.Entity)
            {
                case InstanceRecord:
                    // Only the current value changes: the original stays in the WHERE clause, so a writer that loaded
                    // an older version updates no row and EF throws DbUpdateConcurrencyException. Set through the
                    // entry, so that EF sees the change without another DetectChanges.
                    var version = entry.Property(nameof(InstanceRecord.Version));
                    version.CurrentValue = (int)version.OriginalValue! + 1;
                    break;
                case JournalEntry:
                    ChangeTracker.AutoDetectChangesEnabled = detect;
                    throw new InvalidOperationException("Journal entries are append-only and cannot be updated.");
            }
        }
        return detect;
    }

    internal static string ToSnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                // New word at lower→Upper ("dueAt") and at the end of an acronym ("HTMLBody").
                var startsWord = i > 0 && (!char.IsUpper(name[i - 1])
                    || (i + 1 < name.Length && char.IsLower(name[i + 1])));
                if (startsWord) sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
