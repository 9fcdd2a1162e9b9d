using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Workflows.Host.Components.Web;

namespace Workflows.Host.Tests.Web;

/// <summary>The UI shows the reader's half of a "中文 / English" message from the API.</summary>
public sealed class LocPickTests
{
    [Theory]
    [InlineData("该任务已处理 / Task t1 is Done.", "该任务已处理", "Task t1 is Done.")]
    [InlineData("请先登录。/ Sign in first.", "请先登录。", "Sign in first.")]
    [InlineData("（不超过 500 字）/ An exemption needs a reason.", "（不超过 500 字）", "An exemption needs a reason.")]
    [InlineData("新的审批任务 | New approval task", "新的审批任务", "New approval task")]
    [InlineData("路径 a/b 不存在 / Path a/b does not exist", "路径 a/b 不存在", "Path a/b does not exist")]
    public void Bilingual_messages_show_the_readers_half(string message, string zh, string en)
    {
        Assert.Equal(zh, PickIn("zh-CN", message));
        Assert.Equal(en, PickIn("en", message));
    }

    [Theory]
    [InlineData("pageSize must be from 1 to 200.")]
    [InlineData("either / or")]
    [InlineData("只有中文")]
    public void One_language_messages_are_shown_as_they_are(string message)
    {
        Assert.Equal(message, PickIn("zh-CN", message));
        Assert.Equal(message, PickIn("en", message));
    }

    private static string PickIn(string culture, string message)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try { return new Loc(NullLogger<Loc>.Instance).Pick(message); }
        finally { CultureInfo.CurrentUICulture = before; }
    }
}
