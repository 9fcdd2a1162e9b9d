using MimeKit;

namespace Workflows.Testing;

/// <summary>A message as delivered into <see cref="SmtpServer"/>'s maildir.</summary>
/// <param name="From">First From address.</param>
/// <param name="To">To header addresses.</param>
/// <param name="EnvelopeRecipients">RCPT TO addresses (include Bcc), from aiosmtpd's X-RcptTo header.</param>
/// <param name="MessageId">Message-Id without angle brackets.</param>
/// <param name="Message">The parsed message, for anything else (headers, attachments).</param>
public sealed record ReceivedMessage(
    string From,
    IReadOnlyList<string> To,
    IReadOnlyList<string> EnvelopeRecipients,
    string Subject,
    string? MessageId,
    string? TextBody,
    string? HtmlBody,
    MimeMessage Message,
    string FilePath)
{
    internal static ReceivedMessage Load(string path)
    {
        var message = MimeMessage.Load(path);
        var rcpt = message.Headers["X-RcptTo"] ?? "";
        return new ReceivedMessage(
            message.From.Mailboxes.FirstOrDefault()?.Address ?? "",
            message.To.Mailboxes.Select(m => m.Address).ToList(),
            rcpt.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            message.Subject ?? "",
            message.MessageId,
            message.TextBody,
            message.HtmlBody,
            message,
            path);
    }
}
