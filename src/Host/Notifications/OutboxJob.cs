using System.Text;
using Hangfire;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Text;
using Workflows.Host.Configuration;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Notifications;

/// <summary>
/// Sends one batch of outbox rows claimed by <see cref="OutboxPump"/> over ONE SMTP connection (or, without
/// Smtp:Host, writes them as .eml files into Smtp:PickupDirectory).
/// <para>
/// Delivery guarantee — AT LEAST ONCE, not exactly once. Each row is marked Sent as soon as the database is free after
/// the SMTP server accepted it (the reply to DATA): the update runs while the next message is being sent, and covers
/// every row accepted since the previous update. A message is sent again only if the process dies (or the database
/// update fails) between that acceptance and the row being marked Sent; every send of a row carries the same
/// Message-Id (the row's <see cref="OutboxMessage.MessageId"/>), so such a duplicate can be recognised by the
/// receiving side. A row is never deleted: it ends Sent, or Failed after Smtp:MaxAttempts attempts (or at once on
/// a permanent 5xx refusal). In pickup mode the file is named after the row, so a repeat overwrites it.
/// </para>
/// </summary>
public sealed class OutboxJob(IDbContextFactory<WorkflowsDbContext> contexts, TimeProvider time, IOptions<SmtpOptions> options,
    IHostEnvironment environment, ILogger<OutboxJob> logger)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromMinutes(30);
    private const int SmtpTimeoutMs = 30_000;
    private const int MaxErrorLength = 1000;

    /// <summary>The wait before attempt <paramref name="attempts"/>+1: 10 s · 2^(attempts−1), at most 30 minutes.</summary>
    public static TimeSpan Backoff(int attempts)
    {
        var seconds = FirstRetry.TotalSeconds * Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        return seconds >= MaxRetry.TotalSeconds ? MaxRetry : TimeSpan.FromSeconds(seconds);
    }

    /// <summary>
    /// Sends the rows <paramref name="ids"/> that are still pending and still claimed by the pump (a row another Host
    /// claimed again, after this job's claim ran out, is left to it). Send failures are recorded on the rows, never
    /// thrown: the pump retries them with backoff. Hangfire retries the job only when it threw (the database was
    /// unreachable); a retry takes over the rows still claimed by the pump and skips any an earlier run had taken,
    /// which are claimed again when their claim runs out.
    /// </summary>
    [AutomaticRetry(Attempts = 3)]
    public async Task SendBatchAsync(string[] ids, CancellationToken cancellationToken)
    {
        var keys = ids.Select(id => Guid.TryParse(id, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).Distinct().ToList();
        if (keys.Count == 0) return;
        var job = $"job:{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
        var rows = await TakeOverAsync(db, keys, job);
        if (rows.Count == 0) return;

        var sent = 0;
        if (string.IsNullOrWhiteSpace(options.Value.Host))
        {
            foreach (var row in rows)
            {
                try
                {
                    await WritePickupFileAsync(row);
                    await MarkSentAsync(db, row, job);
                    sent++;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or ParseException)
                {
                    await MarkFailedAsync(db, [row], job, ex, permanent: ex is FormatException or ParseException);
                }
            }
        }
        else
        {
            sent = await SendOverSmtpAsync(db, rows, job, cancellationToken);
        }
        logger.LogInformation("Outbox batch: {Sent} of {Count} email(s) sent", sent, rows.Count);
    }

    /// <summary>
    /// Moves the claim from the pump to this job with a compare-and-set on LockedBy, so two runs of the same batch
    /// (or a batch claimed again by another Host) never send a row twice.
    /// </summary>
    private async Task<List<OutboxMessage>> TakeOverAsync(WorkflowsDbContext db, List<Guid> keys, string job)
    {
        var claims = await db.Outbox.AsNoTracking()
            .Where(m => keys.Contains(m.Id) && m.Status == OutboxStatus.Pending && m.LockedBy != null)
            .Select(m => new { m.Id, m.LockedBy }).ToListAsync();
        var until = time.GetUtcNow() + options.Value.ClaimLease;
        foreach (var group in claims.GroupBy(c => c.LockedBy!))
        {
            var groupIds = group.Select(c => c.Id).ToList();
            var claim = group.Key;
            if (claim.StartsWith("job:", StringComparison.Ordinal)) continue; // another run of this batch is sending them
            await db.Outbox.Where(m => groupIds.Contains(m.Id) && m.Status == OutboxStatus.Pending && m.LockedBy == claim)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedBy, job).SetProperty(m => m.LockedUntil, until));
        }
        var rows = await db.Outbox.AsNoTracking().Where(m => m.LockedBy == job).ToListAsync();
        return rows.OrderBy(r => r.NextAttemptAt.HasValue).ThenBy(r => r.NextAttemptAt).ThenBy(r => r.CreatedAt).ToList();
    }

    private async Task<int> SendOverSmtpAsync(WorkflowsDbContext db, List<OutboxMessage> rows, string job, CancellationToken ct)
    {
        var smtp = options.Value;
        using var client = new SmtpClient { Timeout = SmtpTimeoutMs };
        try
        {
            await client.ConnectAsync(smtp.Host, smtp.Port, smtp.UseTls ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.None, ct);
            if (!string.IsNullOrEmpty(smtp.UserName))
                await client.AuthenticateAsync(smtp.UserName, smtp.Password, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await ReleaseAsync(db, rows, job); // shutting down: not a failed attempt
            return 0;
        }
        catch (Exception ex)
        {
            logger.LogWarning("SMTP server {Host}:{Port} not reachable ({Error}); {Count} email(s) will be retried", smtp.Host, smtp.Port, ex.Message, rows.Count);
            await MarkFailedAsync(db, rows, job, ex, permanent: false);
            return 0;
        }

        var sent = 0;
        var marker = new SentMarker(this, db, job);
        var leaseRenewAt = time.GetUtcNow() + RenewAfter(options.Value.ClaimLease);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (ct.IsCancellationRequested)
            {
                await marker.FlushAsync();
                await ReleaseAsync(db, rows.Skip(i).ToList(), job); // shutting down: the next Host takes them at once
                break;
            }
            if (time.GetUtcNow() >= leaseRenewAt)
            {
                await marker.FlushAsync();
                var until = time.GetUtcNow() + options.Value.ClaimLease;
                await db.Outbox.Where(m => m.LockedBy == job && m.Status == OutboxStatus.Pending)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntil, until));
                leaseRenewAt = time.GetUtcNow() + RenewAfter(options.Value.ClaimLease);
            }

            MimeMessage message;
            try { message = ToMime(row); }
            catch (Exception ex) when (ex is ParseException or FormatException or ArgumentException)
            {
                await marker.FlushAsync();
                await MarkFailedAsync(db, [row], job, ex, permanent: true);
                continue;
            }
            try
            {
                // Not cancellable: once DATA is under way, only the server's answer tells whether it was accepted.
                await client.SendAsync(message, CancellationToken.None);
            }
            catch (SmtpCommandException ex) when ((int)ex.StatusCode >= 500)
            {
                await marker.FlushAsync();
                await MarkFailedAsync(db, [row], job, ex, permanent: true);
                continue;
            }
            catch (Exception ex)
            {
                await marker.FlushAsync();
                if (client.IsConnected)
                {
                    await MarkFailedAsync(db, [row], job, ex, permanent: false);
                    continue;
                }
                logger.LogWarning("SMTP connection lost ({Error}); {Count} email(s) will be retried", ex.Message, rows.Count - i);
                await MarkFailedAsync(db, rows.Skip(i).ToList(), job, ex, permanent: false);
                return sent;
            }
            // ---- the server has accepted the message: a crash from here to its update below means a re-send ----
            await marker.AcceptedAsync(row);
            sent++;
        }
        await marker.FlushAsync();
        try { await client.DisconnectAsync(quit: true, CancellationToken.None); }
        catch (Exception ex) { logger.LogDebug(ex, "SMTP QUIT failed"); }
        return sent;
    }

    /// <summary>
    /// When to renew the claim: while at least one whole SMTP exchange (its timeout) and a margin are left, so no other Host
    /// can take a row over while this job may still be sending it.
    /// </summary>
    private static TimeSpan RenewAfter(TimeSpan lease)
    {
        var latest = lease - TimeSpan.FromMilliseconds(SmtpTimeoutMs) - TimeSpan.FromSeconds(10);
        return latest < lease / 2 ? (latest > TimeSpan.Zero ? latest : TimeSpan.Zero) : lease / 2;
    }

    internal MimeMessage ToMime(OutboxMessage row)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.Value.From));
        message.To.AddRange(InternetAddressList.Parse(row.To));
        message.Headers.Replace(HeaderId.Subject, Encoding.UTF8, row.Subject);
        message.MessageId = row.MessageId.Trim().TrimStart('<').TrimEnd('>');
        message.Date = time.GetUtcNow();
        // RFC 3834: no out-of-office replies to the engine.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        var text = new TextPart(TextFormat.Plain);
        text.SetText(Encoding.UTF8, row.BodyText);
        if (string.IsNullOrEmpty(row.BodyHtml))
        {
            message.Body = text;
        }
        else
        {
            var html = new TextPart(TextFormat.Html);
            html.SetText(Encoding.UTF8, row.BodyHtml);
            message.Body = new MultipartAlternative { text, html };
        }
        return message;
    }

    /// <summary>Pickup mode: the file is named after the row and moved into place whole, so a repeat overwrites it.</summary>
    private async Task WritePickupFileAsync(OutboxMessage row)
    {
        var folder = Path.Combine(environment.ContentRootPath, options.Value.PickupDirectory);
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, $"{row.Id:N}.eml");
        var temp = target + ".tmp";
        var message = ToMime(row);
        await using (var stream = File.Create(temp))
            await message.WriteToAsync(stream);
        File.Move(temp, target, overwrite: true);
    }

    private async Task MarkSentAsync(WorkflowsDbContext db, OutboxMessage row, string job)
    {
        var now = time.GetUtcNow();
        // Not cancellable: a sent message must be recorded even while the Host shuts down.
        await db.Outbox.Where(m => m.Id == row.Id && m.LockedBy == job)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, OutboxStatus.Sent).SetProperty(m => m.SentAt, now)
                .SetProperty(m => m.Attempts, row.Attempts + 1).SetProperty(m => m.LastError, (string?)null)
                .SetProperty(m => m.LockedBy, (string?)null).SetProperty(m => m.LockedUntil, (DateTimeOffset?)null), CancellationToken.None);
    }

    /// <summary>Rows accepted by the server, marked Sent in one UPDATE per attempt count (a batch's rows usually share one).</summary>
    private async Task MarkSentAsync(WorkflowsDbContext db, IReadOnlyList<OutboxMessage> rows, string job)
    {
        if (rows.Count == 1)
        {
            await MarkSentAsync(db, rows[0], job);
            return;
        }
        var now = time.GetUtcNow();
        foreach (var group in rows.GroupBy(r => r.Attempts))
        {
            var ids = group.Select(r => r.Id).ToList();
            var attempts = group.Key + 1;
            await db.Outbox.Where(m => ids.Contains(m.Id) && m.LockedBy == job)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.Status, OutboxStatus.Sent).SetProperty(m => m.SentAt, now)
                    .SetProperty(m => m.Attempts, attempts).SetProperty(m => m.LastError, (string?)null)
                    .SetProperty(m => m.LockedBy, (string?)null).SetProperty(m => m.LockedUntil, (DateTimeOffset?)null), CancellationToken.None);
        }
    }

    /// <summary>
    /// Marks accepted rows Sent while the next message is on its way to the server: the UPDATE of the rows accepted so far
    /// runs during the next SMTP exchange (one database command at a time, on the job's context), and the rows accepted
    /// meanwhile go into the following UPDATE together. A row is thus marked as soon as the database is free, and a batch
    /// costs a commit per few messages instead of one per message. <see cref="FlushAsync"/> waits for every accepted row
    /// to be marked; the job calls it before any other use of the context and at the end.
    /// </summary>
    private sealed class SentMarker(OutboxJob owner, WorkflowsDbContext db, string job)
    {
        private readonly List<OutboxMessage> _accepted = [];
        private Task _running = Task.CompletedTask;

        /// <summary>
        /// Called when the server accepted <paramref name="row"/>. The update of the previous rows may still be running while
        /// the next message is sent, but never more than one accepted row waits behind it: at any moment at most two
        /// accepted rows of a job are not yet marked Sent, which bounds the repeats after a crash (see README, delivery).
        /// </summary>
        public async Task AcceptedAsync(OutboxMessage row)
        {
            _accepted.Add(row);
            // A failed earlier update throws here and stops sending, as a failed update of a single row did.
            await _running;
            Start();
        }

        public async Task FlushAsync()
        {
            await _running;
            if (_accepted.Count > 0)
            {
                Start();
                await _running;
            }
        }

        private void Start()
        {
            var previous = _running;
            var rows = _accepted.ToList();
            _accepted.Clear();
            // On a thread of its own: Microsoft.Data.Sqlite runs "async" commands synchronously (busy waits included),
            // which would otherwise hold up the next send. The context is still used by one thing at a time.
            _running = Task.Run(() => MarkAfterAsync(previous, rows));
        }

        private async Task MarkAfterAsync(Task previous, List<OutboxMessage> rows)
        {
            await previous; // a failed earlier UPDATE fails the job here, as a failed single update did before
            await owner.MarkSentAsync(db, rows, job);
        }
    }

    /// <summary>Attempts+1, next attempt after the backoff (or Failed), error kept, claim released.</summary>
    private async Task MarkFailedAsync(WorkflowsDbContext db, IReadOnlyList<OutboxMessage> rows, string job, Exception error, bool permanent)
    {
        var now = time.GetUtcNow();
        var message = $"{error.GetType().Name}: {error.Message}";
        if (message.Length > MaxErrorLength) message = message[..MaxErrorLength];
        var maxAttempts = options.Value.MaxAttempts;
        // Rows with the same attempt count get the same values: one UPDATE per group, not per row.
        foreach (var group in rows.GroupBy(r => r.Attempts))
        {
            var ids = group.Select(r => r.Id).ToList();
            var attempts = group.Key + 1;
            var giveUp = permanent || attempts >= maxAttempts;
            var status = giveUp ? OutboxStatus.Failed : OutboxStatus.Pending;
            DateTimeOffset? next = giveUp ? null : now + Backoff(attempts);
            await db.Outbox.Where(m => ids.Contains(m.Id) && m.LockedBy == job)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.Status, status).SetProperty(m => m.Attempts, attempts)
                    .SetProperty(m => m.NextAttemptAt, next).SetProperty(m => m.LastError, message)
                    .SetProperty(m => m.LockedBy, (string?)null).SetProperty(m => m.LockedUntil, (DateTimeOffset?)null), CancellationToken.None);
            if (giveUp)
                logger.LogError("Gave up on {Count} email(s) after {Attempts} attempt(s): {Error}", ids.Count, attempts, message);
        }
    }

    private static async Task ReleaseAsync(WorkflowsDbContext db, IReadOnlyList<OutboxMessage> rows, string job)
    {
        var ids = rows.Select(r => r.Id).ToList();
        await db.Outbox.Where(m => ids.Contains(m.Id) && m.LockedBy == job)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedBy, (string?)null).SetProperty(m => m.LockedUntil, (DateTimeOffset?)null),
                CancellationToken.None);
    }
}
