using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Workflows.Persistence.Entities;

namespace Workflows.Persistence.Configurations;

internal sealed class InstanceRecordConfiguration : IEntityTypeConfiguration<InstanceRecord>
{
    public void Configure(EntityTypeBuilder<InstanceRecord> b)
    {
        b.ToTable("instances");
        b.HasKey(i => i.Id);
        b.Property(i => i.Id).HasMaxLength(Lengths.Id).ValueGeneratedNever();
        b.Property(i => i.DefinitionId).HasMaxLength(Lengths.DefinitionId).IsRequired();
        b.Property(i => i.Status).HasMaxLength(Lengths.Status).IsRequired();
        b.Property(i => i.SubStatus).HasMaxLength(Lengths.Status).IsRequired();
        b.Property(i => i.CorrelationId).HasMaxLength(Lengths.Name);
        b.Property(i => i.Name).HasMaxLength(Lengths.Name);
        b.Property(i => i.StateJson).IsRequired();
        // Incremented by WorkflowsDbContext.SaveChanges; EF puts the original value in the
        // UPDATE's WHERE clause, so a stale writer updates 0 rows and gets a concurrency error.
        b.Property(i => i.Version).IsConcurrencyToken();
        b.HasIndex(i => new { i.DefinitionId, i.DefinitionVersion });
        b.HasIndex(i => new { i.Status, i.SubStatus });
        b.HasIndex(i => i.CorrelationId);
        b.HasIndex(i => i.UpdatedAt);
        b.Property(i => i.InitiatorId).HasMaxLength(Lengths.Id);
        b.HasIndex(i => i.InitiatorId);
        b.Property(i => i.StartKey).HasMaxLength(Lengths.Name);
        b.HasIndex(i => i.StartKey).IsUnique();
    }
}
