using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Workflows.Persistence.Entities;

namespace Workflows.Persistence.Configurations;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("outbox_messages");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.InstanceId).HasMaxLength(Lengths.Id);
        b.Property(x => x.Kind).HasMaxLength(50).IsRequired();
        b.Property(x => x.MessageId).HasMaxLength(200).IsRequired();
        b.Property(x => x.To).HasMaxLength(1000).IsRequired();
        b.Property(x => x.Subject).HasMaxLength(500).IsRequired();
        b.Property(x => x.BodyText).IsRequired();
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(Lengths.Status);
        b.Property(x => x.LockedBy).HasMaxLength(Lengths.Name);
        b.HasIndex(x => x.MessageId).IsUnique();
        // The sender's query: Status = Pending AND NextAttemptAt <= now.
        b.HasIndex(x => new { x.Status, x.NextAttemptAt });
        b.HasIndex(x => x.InstanceId);
    }
}
