using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Workflows.Host.Configuration;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Notifications;

/// <summary>What a one-time link is for; also the last segment of its URL.</summary>
public static class LinkPurpose
{
    public const string Approve = "approve";
    public const string Reject = "reject";
    public const string Open = "open";
    public const string SignIn = "signin";

    public static readonly IReadOnlyList<string> All = [Approve, Reject, Open, SignIn];

    public static bool IsKnown(string purpose) => All.Contains(purpose);
}

/// <summary>A link just made: the secret token (only ever in the email), its absolute URL and when it stops working.</summary>
public sealed record CreatedLink(string Token, string Url, DateTimeOffset ExpiresAt);

public enum RedeemStatus
{
    /// <summary>The link was valid and is now used up.</summary>
    Ok,
    /// <summary>Not a token we made (bad format, unknown, altered) or made for another purpose.</summary>
    Tampered,
    Expired,
    /// <summary>Redeemed before (possibly a moment ago, by a concurrent request).</summary>
    Used,
    /// <summary>The signed-in user is not the person the link was sent to; the link stays valid for them.</summary>
    WrongUser,
}

/// <summary>The outcome of <see cref="ActionLinkService.RedeemAsync(string, string, string?, CancellationToken)"/>; UserId and TaskId only when Ok.</summary>
public sealed record RedeemResult(RedeemStatus Status, string? UserId = null, string? TaskId = null)
{
    public bool IsOk => Status == RedeemStatus.Ok;
}

/// <summary>
/// The one place one-time links are made and redeemed (task approve / reject / open links and sign-in links).
/// A token is 32 random bytes in base64url; only its SHA-256 is stored (<see cref="ActionLink"/>), so a copy of
/// the database cannot be used to act. A link works once, until it expires, and — except sign-in links — only
/// for the user it was made for: the redeeming request must be signed in as that user.
/// URLs look like <c>{Workflows:PublicBaseUrl}/links/{purpose}?token=…</c>.
/// </summary>
public sealed class ActionLinkService(IDbContextFactory<WorkflowsDbContext> contexts, TimeProvider time, IOptions<WorkflowsOptions> options)
{
    /// <summary>Path of the link endpoints: <c>/links/{purpose}?token=…</c>.</summary>
    public const string PathPrefix = "/links";
    private const int TokenBytes = 32;
    private const int TokenLength = 43; // base64url of 32 bytes, no padding

    /// <summary>
    /// Adds a link for <paramref name="userId"/> to <paramref name="db"/> (saved with the caller's SaveChanges) and
    /// returns the token; <paramref name="lifetime"/> defaults to Workflows:TaskLinkLifetime, or
    /// Workflows:SignInLinkLifetime for sign-in links.
    /// </summary>
    public CreatedLink Create(WorkflowsDbContext db, string userId, string purpose, string? taskId = null, TimeSpan? lifetime = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        if (!LinkPurpose.IsKnown(purpose)) throw new ArgumentException($"Unknown link purpose '{purpose}'.", nameof(purpose));
        if (purpose != LinkPurpose.SignIn && string.IsNullOrEmpty(taskId))
            throw new ArgumentException($"A '{purpose}' link needs a task id.", nameof(taskId));
        var now = time.GetUtcNow();
        var expires = now + (lifetime ?? (purpose == LinkPurpose.SignIn ? options.Value.SignInLinkLifetime : options.Value.TaskLinkLifetime));
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));
        db.ActionLinks.Add(new ActionLink
        {
            TokenHash = Hash(token), UserId = userId, Purpose = purpose, TaskId = taskId, CreatedAt = now, ExpiresAt = expires,
        });
        return new CreatedLink(token, Url(purpose, token), expires);
    }

    /// <summary>Creates and saves a link on its own (e.g. a sign-in link requested on the sign-in page).</summary>
    public async Task<CreatedLink> CreateAsync(string userId, string purpose, string? taskId = null, TimeSpan? lifetime = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var link = Create(db, userId, purpose, taskId, lifetime);
        await db.SaveChangesAsync(ct);
        return link;
    }

    /// <summary>The absolute URL of a link.</summary>
    public string Url(string purpose, string token) =>
        $"{options.Value.PublicBaseUrl.TrimEnd('/')}{PathPrefix}/{Uri.EscapeDataString(purpose)}?token={token}";

    /// <summary>
    /// Uses up the link if it is valid for <paramref name="purpose"/> and <paramref name="currentUserId"/> (the signed-in
    /// user; ignored, and may be null, for sign-in links). Marking it used is one conditional update, so of two
    /// concurrent redemptions exactly one gets <see cref="RedeemStatus.Ok"/>.
    /// </summary>
    public async Task<RedeemResult> RedeemAsync(string? token, string purpose, string? currentUserId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await RedeemAsync(db, token, purpose, currentUserId, ct);
    }

    /// <summary>
    /// As <see cref="RedeemAsync(string, string, string?, CancellationToken)"/> on the caller's context: inside the caller's
    /// transaction the link is used up only if the action it stands for commits too.
    /// </summary>
    public async Task<RedeemResult> RedeemAsync(WorkflowsDbContext db, string? token, string purpose, string? currentUserId, CancellationToken ct = default)
    {
        if (!IsWellFormed(token)) return new(RedeemStatus.Tampered);
        var hash = Hash(token!);
        var link = await db.ActionLinks.AsNoTracking().SingleOrDefaultAsync(l => l.TokenHash == hash, ct);
        if (link is null || link.Purpose != purpose) return new(RedeemStatus.Tampered);
        if (purpose != LinkPurpose.SignIn && link.UserId != currentUserId) return new(RedeemStatus.WrongUser);
        if (link.UsedAt is not null) return new(RedeemStatus.Used);
        var now = time.GetUtcNow();
        if (link.ExpiresAt <= now) return new(RedeemStatus.Expired);
        var won = await db.ActionLinks.Where(l => l.TokenHash == hash && l.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.UsedAt, now), ct);
        return won == 1 ? new(RedeemStatus.Ok, link.UserId, link.TaskId) : new(RedeemStatus.Used);
    }

    /// <summary>Hex SHA-256 of the token: what <see cref="ActionLink.TokenHash"/> holds.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)));

    private static bool IsWellFormed(string? token) =>
        token is { Length: TokenLength } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
        && Base64Url.IsValid(token, out var length) && length == TokenBytes;
}
