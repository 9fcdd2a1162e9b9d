namespace Workflows.Host.Features.Auth;

/// <summary>
/// The "Auth" section of appsettings.json. (Sign-in links take their lifetime and address from
/// Workflows:SignInLinkLifetime and Workflows:PublicBaseUrl, like every emailed link.)
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>How often a signed-in user's roles are re-read (and a disabled user signed out); 0 = every request.</summary>
    public TimeSpan RefreshClaimsAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Folder (relative to the content root) for the keys that protect the sign-in cookie, so sign-ins survive a restart
    /// and several Hosts can share them. Empty = the framework's default place.
    /// </summary>
    public string KeysDirectory { get; set; } = "";
}
