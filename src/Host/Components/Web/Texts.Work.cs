namespace Workflows.Host.Components.Web;

public static partial class Texts
{
    private static readonly (string, string, string)[] Work =
    [
        ("work.pending", "待办", "To do"),
        ("work.done", "已办", "Done"),
        ("work.mine", "我发起的", "My requests"),
        ("work.cc", "抄送我的", "CC'd to me"),
        ("work.notifications", "通知", "Notifications"),
        ("work.emptyPending", "没有待办事项。", "Nothing to do."),
        ("work.emptyDone", "还没有处理过的事项。", "You have not handled anything yet."),
        ("work.emptyMine", "您还没有发起流程。", "You have not started anything yet."),
        ("work.emptyCc", "没有抄送给您的事项。", "Nothing was copied to you."),
        ("work.emptyNotifications", "没有通知。", "No notifications."),
        ("work.col.step", "事项", "Step"),
        ("work.col.process", "流程", "Process"),
        ("work.col.initiator", "发起人", "Requested by"),
        ("work.col.received", "收到时间", "Received"),
        ("work.col.due", "办理期限", "Due"),
        ("work.col.outcome", "处理结果", "Outcome"),
        ("work.col.status", "状态", "Status"),
        ("work.col.waiting", "当前环节", "Waiting at"),
        ("work.col.started", "发起时间", "Started"),
        ("picker.help", "输入姓名、邮箱或工号搜索", "Type a name, email or employee number"),
    ];
}
