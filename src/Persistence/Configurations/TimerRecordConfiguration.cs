using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Workflows.Persistence.Entities;

namespace Workflows.Persistence.Configurations;

internal sealed class TimerRecordConfiguration : IEntityTypeConfiguration<TimerRecord>
{
    public void Configure(EntityTypeBuilder<TimerRecord> b)
    {
        b.ToTable("timers");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(Lengths.Id).ValueGeneratedNever();
        b.Property(x => x.InstanceId).HasMaxLength(Lengths.Id).IsRequired();
        b.Property(x => x.BookmarkId).HasMaxLength(Lengths.Id).IsRequired();
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(Lengths.Status);
        b.Property(x => x.ScheduledJobId).HasMaxLength(100);
        b.HasOne<InstanceRecord>().WithMany().HasForeignKey(x => x.InstanceId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => x.DueAt);
        b.HasIndex(x => x.BookmarkId);
    }
}
