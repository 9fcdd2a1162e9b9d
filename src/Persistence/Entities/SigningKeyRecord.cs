namespace Workflows.Persistence.Entities;

/// <summary>
/// One key of ASP.NET Core's data-protection key ring (the keys that protect sign-in cookies), as the XML the framework
/// writes. In the database so that every Host on it accepts every other Host's cookies, with no shared folder.
/// </summary>
public sealed class SigningKeyRecord
{
    public long Id { get; set; }
    public string? FriendlyName { get; set; }
    public string Xml { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}
