using Workflows.Persistence;

namespace Workflows.Host.Configuration;

/// <summary>
/// Checks appsettings.json before anything starts; a bad setting stops the Host with one line naming it.
/// </summary>
public static class SettingsValidator
{
    public static string? FirstProblem(IConfiguration configuration)
    {
        var provider = configuration["Database:Provider"] ?? "Sqlite";
        if (!Enum.TryParse<DatabaseProvider>(provider, ignoreCase: true, out _))
            return $"Database:Provider must be Sqlite, PostgreSql or SqlServer (it is '{provider}').";
        if (string.IsNullOrWhiteSpace(configuration["Database:ConnectionString"]))
            return "Database:ConnectionString is empty; give the connection string of the database.";

        var storage = configuration["Hangfire:Storage"] ?? "Auto";
        if (storage is not ("Auto" or "InMemory" or "PostgreSql" or "SqlServer"))
            return $"Hangfire:Storage must be Auto, InMemory, PostgreSql or SqlServer (it is '{storage}').";
        if (configuration["Hangfire:WorkerCount"] is { } workers && (!int.TryParse(workers, out var w) || w < 1 || w > 100))
            return $"Hangfire:WorkerCount must be a whole number from 1 to 100 (it is '{workers}').";

        if (configuration["Workflows:TimerPollInterval"] is { } poll && (!TimeSpan.TryParse(poll, out var p) || p <= TimeSpan.Zero))
            return $"Workflows:TimerPollInterval must be a positive time span like 00:00:02 (it is '{poll}').";
        if (configuration["Workflows:TimerBatchSize"] is { } timerBatch && (!int.TryParse(timerBatch, out var tb) || tb < 1 || tb > 1000))
            return $"Workflows:TimerBatchSize must be a whole number from 1 to 1000 (it is '{timerBatch}').";
        if (configuration["Workflows:TimerScheduleAhead"] is { } ahead && (!TimeSpan.TryParse(ahead, out var ta) || ta < TimeSpan.Zero))
            return $"Workflows:TimerScheduleAhead must be a time span like 00:01:00 (it is '{ahead}').";
        if (configuration["Workflows:TimerClaimLease"] is { } timerLease && (!TimeSpan.TryParse(timerLease, out var tl) || tl < TimeSpan.FromSeconds(1)))
            return $"Workflows:TimerClaimLease must be a time span of at least 00:00:01 (it is '{timerLease}').";
        if (configuration["Workflows:MaxConcurrencyRetries"] is { } retries && (!int.TryParse(retries, out var r) || r < 0))
            return $"Workflows:MaxConcurrencyRetries must be a whole number ≥ 0 (it is '{retries}').";

        if (configuration["Workflows:PublicBaseUrl"] is { } baseUrl
            && (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https") || u.Query.Length > 0 || u.Fragment.Length > 0))
            return $"Workflows:PublicBaseUrl must be an absolute http:// or https:// address like http://127.0.0.1:5080 (it is '{baseUrl}').";
        foreach (var key in new[] { "Workflows:TaskLinkLifetime", "Workflows:SignInLinkLifetime" })
            if (configuration[key] is { } lifetime && (!TimeSpan.TryParse(lifetime, out var l) || l <= TimeSpan.Zero))
                return $"{key} must be a positive time span like 7.00:00:00 (it is '{lifetime}').";

        if (configuration["Smtp:PollInterval"] is { } smtpPoll && (!TimeSpan.TryParse(smtpPoll, out var sp2) || sp2 <= TimeSpan.Zero))
            return $"Smtp:PollInterval must be a positive time span like 00:00:01 (it is '{smtpPoll}').";
        if (configuration["Smtp:BatchSize"] is { } batch && (!int.TryParse(batch, out var b) || b is < 1 or > 1000))
            return $"Smtp:BatchSize must be a whole number from 1 to 1000 (it is '{batch}').";
        if (configuration["Smtp:MaxAttempts"] is { } attempts && (!int.TryParse(attempts, out var a) || a is < 1 or > 1000))
            return $"Smtp:MaxAttempts must be a whole number from 1 to 1000 (it is '{attempts}').";
        if (configuration["Smtp:ClaimLease"] is { } lease && (!TimeSpan.TryParse(lease, out var cl) || cl < TimeSpan.FromMinutes(1)))
            return $"Smtp:ClaimLease must be a time span of at least 00:01:00 (it is '{lease}').";
        if (configuration["Smtp:UseTls"] is { Length: > 0 } tls && !bool.TryParse(tls, out _))
            return $"Smtp:UseTls must be true or false (it is '{tls}').";
        if (configuration["Smtp:Port"] is { } port && (!int.TryParse(port, out var sp) || sp is < 1 or > 65535))
            return $"Smtp:Port must be a port number from 1 to 65535 (it is '{port}').";
        if (!string.IsNullOrWhiteSpace(configuration["Smtp:Host"]) && !(configuration["Smtp:From"] ?? "").Contains('@'))
            return $"Smtp:From must be an email address (it is '{configuration["Smtp:From"]}').";
        return null;
    }

    public static DatabaseOptions Database(IConfiguration configuration) => new()
    {
        Provider = Enum.Parse<DatabaseProvider>(configuration["Database:Provider"] ?? "Sqlite", ignoreCase: true),
        ConnectionString = configuration["Database:ConnectionString"] ?? "",
    };
}
