using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Workflows.Persistence.Entities;

namespace Workflows.Persistence.Configurations;

internal sealed class DefinitionRecordConfiguration : IEntityTypeConfiguration<DefinitionRecord>
{
    public void Configure(EntityTypeBuilder<DefinitionRecord> b)
    {
        b.ToTable("definitions");
        b.HasKey(d => d.Id);
        b.Property(d => d.Id).ValueGeneratedOnAdd();
        b.Property(d => d.DefinitionId).HasMaxLength(Lengths.DefinitionId).IsRequired();
        b.Property(d => d.Name).HasMaxLength(Lengths.Name).IsRequired();
        b.Property(d => d.Json).IsRequired();
        b.Property(d => d.ContentHash).HasMaxLength(64).IsRequired();
        b.Property(d => d.Source).HasMaxLength(20).IsRequired();
        b.HasIndex(d => new { d.DefinitionId, d.Version }).IsUnique();
    }
}
