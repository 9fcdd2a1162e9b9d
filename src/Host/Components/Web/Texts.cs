namespace Workflows.Host.Components.Web;

/// <summary>
/// Every text the UI shows, by stable key: (Simplified Chinese, English). One partial file per feature;
/// the Web tests check that every key a page uses is here.
/// </summary>
public static partial class Texts
{
    // Lazy: static fields of partial classes initialise in file order, and the parts live in other files.
    private static readonly Lazy<IReadOnlyDictionary<string, (string Zh, string En)>> Lazy = new(Build);

    public static IReadOnlyDictionary<string, (string Zh, string En)> All => Lazy.Value;

    private static Dictionary<string, (string Zh, string En)> Build()
    {
        var all = new Dictionary<string, (string Zh, string En)>(StringComparer.Ordinal);
        foreach (var part in new[] { Common, Auth, Work, Tasks, Instances, Dashboard, Designer, Organization })
            foreach (var (key, zh, en) in part)
                all.Add(key, (zh, en));
        return all;
    }

    private static readonly (string, string, string)[] Common =
    [
        ("app.title", "教联体流程平台", "Federation Workflows"),
        ("nav.menu", "菜单", "Menu"),
        ("nav.work", "我的工作", "My work"),
        ("nav.instances", "流程", "Processes"),
        ("nav.start", "发起流程", "Start a process"),
        ("nav.dashboard", "看板", "Dashboard"),
        ("nav.designer", "设计器", "Designer"),
        ("nav.org", "组织机构", "Organisation"),
        ("nav.admin", "系统管理", "Administration"),
        ("nav.hangfire", "后台任务 (Hangfire)", "Jobs (Hangfire)"),
        ("nav.scalar", "接口文档 (Scalar)", "API reference (Scalar)"),
        ("common.noAccess", "您没有权限查看此页面。", "You do not have access to this page."),
        ("common.notFound", "页面不存在。", "This page does not exist."),
        ("common.unhandledError", "页面出现错误。", "Something went wrong."),
        ("common.reload", "重新加载", "Reload"),
        ("common.cancel", "取消", "Cancel"),
        ("common.save", "保存", "Save"),
        ("common.delete", "删除", "Delete"),
        ("common.close", "关闭", "Close"),
        ("common.confirm", "确定", "Confirm"),
        ("common.yes", "是", "Yes"),
        ("common.no", "否", "No"),
        ("common.all", "全部", "All"),
        ("common.none", "无", "None"),
        ("common.search", "搜索", "Search"),
        ("common.loading", "加载中…", "Loading…"),
        ("common.empty", "暂无数据", "Nothing here yet"),
        ("common.open", "打开", "Open"),
        ("common.back", "返回", "Back"),
        ("common.refresh", "刷新", "Refresh"),
        ("common.more", "更多", "More"),
        ("common.add", "添加", "Add"),
        ("common.remove", "移除", "Remove"),
        ("common.name", "名称", "Name"),
        ("common.required", "必填", "Required"),
        ("common.saved", "已保存", "Saved"),
        ("common.failed", "操作失败：{0}", "Failed: {0}"),
        ("common.fixErrors", "请先改正标红的内容。", "Please correct the fields marked in red."),
        ("common.time", "时间", "Time"),
        ("common.actions", "操作", "Actions"),
        ("common.details", "详情", "Details"),
        ("common.rowsPerPage", "每页", "Rows per page"),
        ("common.pagerInfo", "第 {first_item}–{last_item} 条，共 {all_items} 条", "{first_item}–{last_item} of {all_items}"),
        ("status.pending", "待处理", "Pending"),
        ("status.done", "已处理", "Done"),
        ("status.cancelled", "已取消", "Cancelled"),
        ("status.running", "进行中", "Running"),
        ("status.suspended", "进行中", "In progress"),
        ("status.finished", "已完成", "Finished"),
        ("status.faulted", "出错", "Faulted"),
        ("status.overdue", "已逾期", "Overdue"),
        ("status.unknown", "未知", "Unknown"),
    ];

    private static readonly (string, string, string)[] Auth =
    [
        ("auth.signIn", "登录", "Sign in"),
        ("auth.signOut", "退出登录", "Sign out"),
        ("auth.intro", "请使用教育局登记的邮箱和密码登录。", "Sign in with the email address the bureau registered for you and your password."),
        ("auth.email", "邮箱", "Email"),
        ("auth.password", "密码", "Password"),
        ("auth.emailRequired", "请输入邮箱", "Enter your email address"),
        ("auth.emailInvalid", "邮箱格式不正确", "This is not an email address"),
        ("auth.passwordRequired", "请输入密码", "Enter your password"),
        ("auth.badCredentials", "邮箱或密码不正确", "Email or password is incorrect"),
        ("auth.linkTitle", "没有密码？", "No password?"),
        ("auth.linkIntro", "我们可以把一次性登录链接发到您的邮箱。", "We can email you a one-time sign-in link."),
        ("auth.sendLink", "发送登录链接", "Email me a sign-in link"),
        ("auth.linkSent", "如果该邮箱已登记，登录链接已发到该邮箱，请在 30 分钟内使用。", "If the address is registered, a sign-in link is on its way; it works for 30 minutes."),
        ("auth.signOutConfirm", "{0}，确定要退出登录吗？", "{0}, do you want to sign out?"),
        ("auth.signedOut", "您已退出登录。", "You are signed out."),
    ];
}
