namespace Workflows.Host.People;

/// <summary>Values of <see cref="Workflows.Persistence.Entities.UserRecord.Status"/>; anything but Active cannot sign in or get tasks.</summary>
public static class UserStatuses
{
    public const string Active = "Active";
    public const string Disabled = "Disabled";
}

/// <summary>Emails are stored trimmed and lower-case, so lookups are exact on every database.</summary>
public static class EmailAddress
{
    public static string Normalize(string? email) => (email ?? "").Trim().ToLowerInvariant();

    /// <summary>A plain check (one @, a dot in the domain, no spaces); the mail server has the last word.</summary>
    public static bool IsValid(string normalized)
    {
        if (normalized.Length is < 3 or > 254 || normalized.Any(char.IsWhiteSpace)) return false;
        var at = normalized.IndexOf('@');
        if (at < 1 || at != normalized.LastIndexOf('@')) return false;
        var domain = normalized[(at + 1)..];
        return domain.Length >= 3 && domain.Contains('.') && !domain.StartsWith('.') && !domain.EndsWith('.') && !domain.Contains("..");
    }
}
