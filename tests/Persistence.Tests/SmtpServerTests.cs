using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Workflows.Testing;

namespace Workflows.Persistence.Tests;

/// <summary>The SMTP fixture itself; each test starts its own server because one stops it.</summary>
public sealed class SmtpServerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task SendAsync(SmtpServer server, string subject, string messageId)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("engine@workflows.test"));
        message.To.Add(MailboxAddress.Parse("alice@example.test"));
        message.Bcc.Add(MailboxAddress.Parse("audit@example.test"));
        message.Subject = subject;
        message.MessageId = messageId;
        message.Body = new TextPart("plain") { Text = "Please approve order 42." };
        using var client = new SmtpClient { Timeout = 10_000 };
        await client.ConnectAsync(server.Host, server.Port, SecureSocketOptions.None, Ct);
        await client.SendAsync(message, Ct);
        await client.DisconnectAsync(true, Ct);
    }

    [Fact]
    public async Task A_message_sent_with_MailKit_arrives_in_the_maildir()
    {
        await using var server = await SmtpServer.StartNewAsync();

        await SendAsync(server, "Approval needed", "m1@workflows.test");

        var message = Assert.Single(server.ReadMessages());
        Assert.Equal("engine@workflows.test", message.From);
        Assert.Equal(["alice@example.test"], message.To);
        Assert.Equal(["alice@example.test", "audit@example.test"], message.EnvelopeRecipients.Order());
        Assert.Equal("Approval needed", message.Subject);
        Assert.Equal("m1@workflows.test", message.MessageId);
        Assert.Equal("Please approve order 42.", message.TextBody?.TrimEnd());
        Assert.StartsWith(server.MaildirPath, message.FilePath);
    }

    [Fact]
    public async Task A_stopped_server_refuses_mail_and_accepts_it_again_after_a_restart()
    {
        await using var server = await SmtpServer.StartNewAsync();
        var port = server.Port;

        server.Stop();
        Assert.False(server.IsRunning);
        await Assert.ThrowsAnyAsync<Exception>(() => SendAsync(server, "Lost", "lost@workflows.test"));

        server.Start();
        await SendAsync(server, "After outage", "m2@workflows.test");

        Assert.True(server.IsRunning);
        Assert.Equal(port, server.Port);
        var message = Assert.Single(await server.WaitForMessagesAsync(1));
        Assert.Equal("m2@workflows.test", message.MessageId);
    }
}
