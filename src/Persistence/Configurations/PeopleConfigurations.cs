using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Workflows.Persistence.Entities;

namespace Workflows.Persistence.Configurations;

internal sealed class OrgUnitConfiguration : IEntityTypeConfiguration<OrgUnit>
{
    public void Configure(EntityTypeBuilder<OrgUnit> b)
    {
        b.ToTable("org_units");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(Lengths.Id).ValueGeneratedNever();
        b.Property(x => x.Kind).HasMaxLength(Lengths.Status).IsRequired();
        b.Property(x => x.Name).HasMaxLength(Lengths.Name).IsRequired();
        b.Property(x => x.ParentId).HasMaxLength(Lengths.Id);
        b.Property(x => x.Code).HasMaxLength(50);
        b.HasIndex(x => x.ParentId);
        b.HasIndex(x => x.Kind);
    }
}

internal sealed class UserRecordConfiguration : IEntityTypeConfiguration<UserRecord>
{
    public void Configure(EntityTypeBuilder<UserRecord> b)
    {
        b.ToTable("users");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(Lengths.Id).ValueGeneratedNever();
        b.Property(x => x.Email).HasMaxLength(254).IsRequired();
        b.Property(x => x.Name).HasMaxLength(Lengths.Name).IsRequired();
        b.Property(x => x.EmployeeNo).HasMaxLength(50);
        b.Property(x => x.Phone).HasMaxLength(30);
        b.Property(x => x.SchoolId).HasMaxLength(Lengths.Id);
        b.Property(x => x.Subject).HasMaxLength(50);
        b.Property(x => x.Title).HasMaxLength(50);
        b.Property(x => x.Status).HasMaxLength(Lengths.Status).IsRequired();
        b.Property(x => x.PasswordHash).HasMaxLength(300);
        b.HasIndex(x => x.Email).IsUnique();
        b.HasIndex(x => x.SchoolId);
    }
}

internal sealed class RoleAssignmentConfiguration : IEntityTypeConfiguration<RoleAssignment>
{
    public void Configure(EntityTypeBuilder<RoleAssignment> b)
    {
        b.ToTable("role_assignments");
        b.HasKey(x => x.Id);
        b.Property(x => x.UserId).HasMaxLength(Lengths.Id).IsRequired();
        b.Property(x => x.Role).HasMaxLength(30).IsRequired();
        b.Property(x => x.ScopeId).HasMaxLength(Lengths.Id).IsRequired();
        b.HasOne<UserRecord>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.UserId, x.Role, x.ScopeId }).IsUnique();
        b.HasIndex(x => new { x.Role, x.ScopeId });
    }
}

internal sealed class HumanTaskConfiguration : IEntityTypeConfiguration<HumanTask>
{
    public void Configure(EntityTypeBuilder<HumanTask> b)
    {
        b.ToTable("human_tasks");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(Lengths.Id).ValueGeneratedNever();
        b.Property(x => x.InstanceId).HasMaxLength(Lengths.Id).IsRequired();
        b.Property(x => x.BookmarkId).HasMaxLength(Lengths.Id);
        b.Property(x => x.DefinitionId).HasMaxLength(Lengths.DefinitionId).IsRequired();
        b.Property(x => x.ActivityId).HasMaxLength(Lengths.ActivityId).IsRequired();
        b.Property(x => x.StepName).HasMaxLength(Lengths.Name).IsRequired();
        b.Property(x => x.Kind).HasMaxLength(Lengths.Status).IsRequired();
        b.Property(x => x.AssigneeId).HasMaxLength(Lengths.Id).IsRequired();
        b.Property(x => x.InitiatorId).HasMaxLength(Lengths.Id);
        b.Property(x => x.Status).HasMaxLength(Lengths.Status).IsRequired();
        b.Property(x => x.Action).HasMaxLength(30);
        b.Property(x => x.Comment).HasMaxLength(2000);
        b.Property(x => x.DelegatedFromId).HasMaxLength(Lengths.Id);
        b.HasOne<InstanceRecord>().WithMany().HasForeignKey(x => x.InstanceId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.AssigneeId, x.Status });
        b.HasIndex(x => x.BookmarkId);
        b.HasIndex(x => new { x.Status, x.DueAt });
    }
}

internal sealed class NotificationRecordConfiguration : IEntityTypeConfiguration<NotificationRecord>
{
    public void Configure(EntityTypeBuilder<NotificationRecord> b)
    {
        b.ToTable("notifications");
        b.HasKey(x => x.Id);
        b.Property(x => x.UserId).HasMaxLength(Lengths.Id).IsRequired();
        b.Property(x => x.Title).HasMaxLength(500).IsRequired();
        b.Property(x => x.Body).IsRequired();
        b.Property(x => x.Link).HasMaxLength(1000);
        b.Property(x => x.InstanceId).HasMaxLength(Lengths.Id);
        b.Property(x => x.TaskId).HasMaxLength(Lengths.Id);
        b.HasIndex(x => new { x.UserId, x.CreatedAt });
    }
}

internal sealed class ActionLinkConfiguration : IEntityTypeConfiguration<ActionLink>
{
    public void Configure(EntityTypeBuilder<ActionLink> b)
    {
        b.ToTable("action_links");
        b.HasKey(x => x.TokenHash);
        b.Property(x => x.TokenHash).HasMaxLength(Lengths.Id).ValueGeneratedNever();
        b.Property(x => x.UserId).HasMaxLength(Lengths.Id).IsRequired();
        b.Property(x => x.Purpose).HasMaxLength(Lengths.Status).IsRequired();
        b.Property(x => x.TaskId).HasMaxLength(Lengths.Id);
        b.HasIndex(x => x.UserId);
    }
}
