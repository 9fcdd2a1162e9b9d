namespace Workflows.Persistence.Entities;

/// <summary>
/// A one-time link sent by email: sign in, or act on a task (approve / reject / open). Only the hash of
/// the token is stored; a link works once and expires.
/// </summary>
public class ActionLink
{
    public string TokenHash { get; set; } = "";
    public string UserId { get; set; } = "";
    /// <summary>signin, approve, reject, open.</summary>
    public string Purpose { get; set; } = "";
    public string? TaskId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}
