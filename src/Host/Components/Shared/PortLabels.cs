namespace Workflows.Host.Components.Shared;

/// <summary>Chinese names of the outcome ports people see on a flow diagram (the port's own name when none is known).</summary>
public static class PortLabels
{
    private static readonly Dictionary<string, string> Chinese = new(StringComparer.Ordinal)
    {
        ["Approved"] = "同意", ["Rejected"] = "拒绝", ["Returned"] = "退回",
        ["True"] = "是", ["False"] = "否", ["Default"] = "其他",
        ["Upheld"] = "成立", ["Dismissed"] = "不成立", ["Closed"] = "公示结束",
        ["Signed"] = "已签署", ["Refused"] = "拒签", ["Timeout"] = "超时",
        ["Done"] = "", ["Completed"] = "完成", ["Body"] = "循环体", ["Iterate"] = "每一项",
    };

    public static string Of(string port) => Chinese.TryGetValue(port, out var name) ? name : port;
}
