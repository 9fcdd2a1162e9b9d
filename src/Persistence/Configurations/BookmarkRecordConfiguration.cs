using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Workflows.Persistence.Entities;

namespace Workflows.Persistence.Configurations;

internal sealed class BookmarkRecordConfiguration : IEntityTypeConfiguration<BookmarkRecord>
{
    public void Configure(EntityTypeBuilder<BookmarkRecord> b)
    {
        b.ToTable("bookmarks");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(Lengths.Id).ValueGeneratedNever();
        b.Property(x => x.InstanceId).HasMaxLength(Lengths.Id).IsRequired();
        b.Property(x => x.ActivityId).HasMaxLength(Lengths.ActivityId).IsRequired();
        b.Property(x => x.ActivityInstanceId).HasMaxLength(Lengths.Id).IsRequired();
        b.Property(x => x.Kind).HasMaxLength(100).IsRequired();
        b.Property(x => x.Stimulus).HasMaxLength(200);
        b.HasOne<InstanceRecord>().WithMany().HasForeignKey(x => x.InstanceId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.Kind, x.Stimulus });
        // No index on due_at: nothing queries bookmarks by due time (the timers table does that); an index would only
        // add a page to every bookmark insert and delete.
    }
}
