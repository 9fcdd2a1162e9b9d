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
        if (configuration["Workflows:MaxConcurrencyRetries"] is { } retries && (!int.TryParse(retries, out var r) || r < 0))
            return $"Workflows:MaxConcurrencyRetries must be a whole number ≥ 0 (it is '{retries}').";

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
