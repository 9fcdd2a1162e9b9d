using System.Net;
using System.Text.Json.Nodes;
using Workflows.Host.Definitions;
using Workflows.Host.Notifications;
using Workflows.Host.Runtime;
using Workflows.Persistence;

namespace Workflows.Host.Features.Tasks;

/// <summary>
/// The one-click links of task emails: /links/approve|reject|open?token=…. A link is signed (only its hash is
/// stored), expires, works once, and only for its assignee while signed in; a visitor who is not signed in is sent
/// to the sign-in page first and the link is not used up.
/// </summary>
public static class LinksApi
{
    public static IEndpointRouteBuilder MapTaskLinks(this IEndpointRouteBuilder app)
    {
        foreach (var purpose in new[] { LinkPurpose.Approve, LinkPurpose.Reject, LinkPurpose.Open })
            app.MapGet($"{ActionLinkService.PathPrefix}/{purpose}", (string? token, HttpContext http, ActionLinkService links,
                    WorkflowsDbContext db, WorkflowRuntime runtime, DefinitionStore definitions, CancellationToken ct) =>
                    UseAsync(purpose, token, http, links, db, runtime, definitions, ct))
                .WithTags("Tasks").AllowAnonymous();
        return app;
    }

    private static async Task<IResult> UseAsync(string purpose, string? token, HttpContext http, ActionLinkService links,
        WorkflowsDbContext db, WorkflowRuntime runtime, DefinitionStore definitions, CancellationToken ct)
    {
        if (http.UserId() is not { } me)
        {
            var back = $"{http.Request.Path}{http.Request.QueryString}";
            return Results.Redirect($"/signin?returnUrl={Uri.EscapeDataString(back)}");
        }
        var redeemed = await links.RedeemAsync(token, purpose, me, ct);
        if (!redeemed.IsOk)
        {
            var (status, zh, en) = redeemed.Status switch
            {
                RedeemStatus.Expired => (410, "链接已过期", "This link has expired."),
                RedeemStatus.Used => (410, "链接已使用过", "This link was already used."),
                RedeemStatus.WrongUser => (403, "此链接不属于当前登录的用户", "This link belongs to someone else."),
                _ => (400, "链接无效", "This link is not valid."),
            };
            return Page(http, status, zh, en, null);
        }
        var taskId = redeemed.TaskId!;
        if (purpose == LinkPurpose.Open) return Results.Redirect($"/tasks/{Uri.EscapeDataString(taskId)}");

        var body = new JsonObject { ["action"] = purpose, ["comment"] = purpose == LinkPurpose.Approve ? "同意（邮件一键审批）" : "不同意（邮件一键审批）" };
        var result = await TasksApi.ActOnTaskAsync(taskId, me, purpose, body, http, db, runtime, definitions, ct);
        var code = result is IStatusCodeHttpResult { StatusCode: { } c } ? c : 200;
        return code == 200
            ? Page(http, 200, purpose == LinkPurpose.Approve ? "已同意" : "已不同意", purpose == LinkPurpose.Approve ? "Approved." : "Rejected.", taskId)
            : code == 409
                ? Page(http, 409, "该任务已被处理", "This task was already handled.", taskId)
                : result;
    }

    // A person on a phone reads a page, not JSON; API clients still get ProblemDetails-like status codes.
    private static IResult Page(HttpContext http, int status, string zh, string en, string? taskId)
    {
        var link = taskId is null ? "/" : $"/tasks/{WebUtility.HtmlEncode(Uri.EscapeDataString(taskId))}";
        var html = $"""
            <!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <link rel="icon" href="data:,">
            <title>{WebUtility.HtmlEncode(zh)}</title></head>
            <body style="font-family:'Microsoft YaHei','PingFang SC',sans-serif;padding:24px;max-width:480px;margin:auto">
            <h1 style="font-size:22px">{WebUtility.HtmlEncode(zh)}</h1><p style="color:#555">{WebUtility.HtmlEncode(en)}</p>
            <p><a href="{link}">查看任务 Open the task</a> · <a href="/">我的工作 My work</a></p></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
