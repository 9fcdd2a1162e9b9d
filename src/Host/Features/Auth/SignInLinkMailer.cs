using System.Net;
using System.Text.Json.Nodes;
using Workflows.Host.Notifications;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Features.Auth;

/// <summary>
/// Makes a one-time sign-in link for a user and the email that carries it. Adds its rows to <paramref name="db"/>
/// without saving: the caller commits the link and its message together.
/// </summary>
public interface ISignInLinkMailer
{
    void Add(WorkflowsDbContext db, UserRecord user);
}

/// <summary>
/// The link from <see cref="ActionLinkService"/> (<c>/links/signin?token=…</c>, Workflows:SignInLinkLifetime), the email
/// from the <c>signin-link</c> template, written to the outbox. No in-app notification: it would keep the live link.
/// </summary>
public sealed class OutboxSignInLinkMailer(ActionLinkService links, NotificationTemplates templates, TimeProvider time,
    ILogger<OutboxSignInLinkMailer> logger) : ISignInLinkMailer
{
    public const string Template = "signin-link";

    public void Add(WorkflowsDbContext db, UserRecord user)
    {
        var now = time.GetUtcNow();
        var link = links.Create(db, user.Id, LinkPurpose.SignIn);
        var minutes = (int)Math.Round((link.ExpiresAt - now).TotalMinutes);
        RenderedMessage message;
        try
        {
            message = templates.Render(Template, new JsonObject
            {
                ["user"] = new JsonObject { ["id"] = user.Id, ["name"] = user.Name, ["email"] = user.Email },
                ["links"] = new JsonObject { ["signin"] = link.Url },
                ["expires_minutes"] = minutes,
            });
        }
        catch (InvalidOperationException ex)
        {
            logger.LogWarning("Template {Template} unusable ({Message}); the sign-in email uses the built-in text", Template, ex.Message);
            message = BuiltIn(user.Name, link.Url, minutes);
        }
        var id = Guid.NewGuid();
        db.Outbox.Add(new OutboxMessage
        {
            Id = id, Kind = OutboxMessage.KindEmail, MessageId = $"<{id:N}@{NotificationService.MessageIdDomain}>", To = user.Email,
            Subject = message.Subject, BodyText = message.Text, BodyHtml = message.Html, Status = OutboxStatus.Pending, CreatedAt = now,
        });
    }

    private static RenderedMessage BuiltIn(string name, string url, int minutes)
    {
        var text = $"{name}，您好：\n\n请点击以下链接登录（{minutes} 分钟内有效，仅可使用一次）：\n{url}\n\n如果这不是您本人的操作，请忽略本邮件。\n\n"
            + $"Hello {name}, open this link to sign in (it works once, within {minutes} minutes):\n{url}\nIf you did not ask to sign in, ignore this email.\n";
        return new RenderedMessage("登录链接 Sign-in link", text,
            $"<pre style=\"font-family:inherit;white-space:pre-wrap\">{WebUtility.HtmlEncode(text)}</pre>");
    }
}
