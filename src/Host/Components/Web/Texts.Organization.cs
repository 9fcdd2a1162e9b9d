namespace Workflows.Host.Components.Web;

public static partial class Texts
{
    private static readonly (string, string, string)[] Organization =
    [
        ("org.import", "导入名册", "Import roster"),
        ("org.importLater", "名册导入将在后续版本提供", "Roster import comes in a later version"),
        ("org.core", "核心校", "Core school"),
        ("org.everyone", "全县人员", "Everyone in the county"),
        ("org.search", "姓名、邮箱或工号", "Name, email or employee no."),
        ("org.total", "共 {0} 人", "{0} people"),
        ("org.backbone", "骨干", "Backbone"),
        ("org.yearsValue", "{0} 年", "{0} y"),
        ("org.col.name", "姓名", "Name"),
        ("org.col.school", "学校", "School"),
        ("org.col.subject", "学科", "Subject"),
        ("org.col.title", "职称/职务", "Title"),
        ("org.col.years", "本校任教", "At school"),
        ("org.col.roles", "角色", "Roles"),
        ("role.Teacher", "教师", "Teacher"),
        ("role.SchoolOffice", "学校办公室", "School office"),
        ("role.Principal", "校长", "Principal"),
        ("role.Lead", "教联体负责人", "Federation lead"),
        ("role.BureauPersonnel", "人事股", "Bureau personnel"),
        ("role.BureauAdmin", "系统管理员", "Administrator"),
        ("role.Designer", "流程设计", "Designer"),
    ];
}
