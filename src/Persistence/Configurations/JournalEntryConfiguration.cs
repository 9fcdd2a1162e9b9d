using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Workflows.Persistence.Entities;

namespace Workflows.Persistence.Configurations;

internal sealed class JournalEntryConfiguration : IEntityTypeConfiguration<JournalEntry>
{
    public void Configure(EntityTypeBuilder<JournalEntry> b)
    {
        b.ToTable("journal_entries");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedOnAdd();
        // No foreign key: the journal is an audit trail and must outlive a deleted instance.
        b.Property(x => x.InstanceId).HasMaxLength(Lengths.Id).IsRequired();
        b.Property(x => x.ActivityId).HasMaxLength(Lengths.ActivityId);
        b.Property(x => x.Event).HasMaxLength(50).IsRequired();
        b.Property(x => x.Actor).HasMaxLength(200);
        b.Property(x => x.Summary).HasMaxLength(2000);
        b.Property(x => x.RemoteAddress).HasMaxLength(100);
        b.Property(x => x.Client).HasMaxLength(300);
        b.HasIndex(x => x.InstanceId);
    }
}
