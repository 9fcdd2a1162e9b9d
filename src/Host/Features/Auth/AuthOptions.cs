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
    /// Where the keys that protect the sign-in cookie are kept. Empty (the default) = in the database (table
    /// <c>signing_keys</c>), so sign-ins survive a restart and every Host on the database accepts every other Host's
    /// cookies. A folder (relative to the content root) keeps them there instead; Hosts must then share that folder.
    /// </summary>
    public string KeysDirectory { get; set; } = "";
}
