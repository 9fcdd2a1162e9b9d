using System.Text.RegularExpressions;
using Workflows.Testing;

namespace Workflows.Web.Tests.Support;

/// <summary>Reading what the Host mailed, as the person it was sent to would.</summary>
public static class Mailbox
{
    /// <summary>
    /// The first message to <paramref name="to"/> whose subject contains <paramref name="subject"/>, once it arrived
    /// (the Host's outbox sends in the background, a moment after the change that caused it).
    /// </summary>
    public static async Task<ReceivedMessage> WaitForAsync(this SmtpServer smtp, string to, string subject, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var found = smtp.ReadMessages().FirstOrDefault(m =>
                m.EnvelopeRecipients.Concat(m.To).Contains(to, StringComparer.OrdinalIgnoreCase) && m.Subject.Contains(subject, StringComparison.Ordinal));
            if (found is not null) return found;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"No mail to {to} about '{subject}'. Received:\n"
                                           + string.Join("\n", smtp.ReadMessages().Select(m => $"{string.Join(",", m.To)}: {m.Subject}")));
            await Task.Delay(100);
        }
    }

    /// <summary>The link the plain-text body gives after <paramref name="label"/> (e.g. "同意：").</summary>
    public static string LinkAfter(this ReceivedMessage message, string label)
    {
        var match = Regex.Match(message.TextBody ?? "", Regex.Escape(label) + @"\s*(https?://\S+)");
        Assert.True(match.Success, $"No link after '{label}' in:\n{message.TextBody}");
        return match.Groups[1].Value;
    }
}
