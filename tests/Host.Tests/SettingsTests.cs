using Microsoft.Extensions.Configuration;
using Workflows.Host.Configuration;

namespace Workflows.Host.Tests;

/// <summary>appsettings.json is checked before anything starts; a bad value is named in one line.</summary>
public sealed class SettingsTests
{
    private static IConfiguration Settings(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = "Data Source=data/workflows.db",
        }.Concat(values.Select(v => KeyValuePair.Create(v.Key, v.Value))).GroupBy(kv => kv.Key).Select(g => g.Last())).Build();

    [Fact]
    public void Valid_settings_have_no_problem()
    {
        Assert.Null(SettingsValidator.FirstProblem(Settings()));
        Assert.Null(SettingsValidator.FirstProblem(Settings(("Database:Provider", "postgresql"), ("Smtp:Port", "587"),
            ("Workflows:TimerPollInterval", "00:00:00.200"))));
    }

    [Fact]
    public void The_repository_appsettings_json_is_valid()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(Support.Paths.RepoRoot, "appsettings.json")).Build();
        Assert.Null(SettingsValidator.FirstProblem(configuration));
    }

    [Theory]
    [InlineData("Database:Provider", "Oracle", "Oracle")]
    [InlineData("Database:ConnectionString", "", "")]
    [InlineData("Smtp:Port", "99999", "99999")]
    [InlineData("Smtp:Port", "0", "0")]
    [InlineData("Smtp:Port", "smtp", "smtp")]
    [InlineData("Workflows:TimerPollInterval", "abc", "abc")]
    [InlineData("Workflows:TimerPollInterval", "-00:00:01", "-00:00:01")]
    [InlineData("Workflows:MaxConcurrencyRetries", "-1", "-1")]
    [InlineData("Hangfire:Storage", "Redis", "Redis")]
    [InlineData("Hangfire:WorkerCount", "0", "0")]
    [InlineData("Smtp:ClaimLease", "00:00:30", "00:00:30")] // shorter than one SMTP exchange may take
    [InlineData("Smtp:ClaimLease", "soon", "soon")]
    [InlineData("Workflows:TimerClaimLease", "00:00:00", "00:00:00")]
    [InlineData("Workflows:TimerBatchSize", "0", "0")]
    [InlineData("Workflows:TimerScheduleAhead", "-00:00:01", "-00:00:01")]
    public void A_bad_value_is_named_with_its_setting(string key, string value, string shown)
    {
        var problem = SettingsValidator.FirstProblem(Settings((key, value)));

        Assert.NotNull(problem);
        Assert.StartsWith(key, problem);
        if (shown.Length > 0) Assert.Contains($"'{shown}'", problem);
    }

    [Fact]
    public void An_smtp_host_needs_a_sender_address()
    {
        var problem = SettingsValidator.FirstProblem(Settings(("Smtp:Host", "mail.example.org"), ("Smtp:From", "nobody")));
        Assert.StartsWith("Smtp:From", problem);
    }
}
