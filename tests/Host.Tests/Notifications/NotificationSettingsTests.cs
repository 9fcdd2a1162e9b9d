using Microsoft.Extensions.Configuration;
using Workflows.Host.Configuration;
using Workflows.Host.Notifications;

namespace Workflows.Host.Tests.Notifications;

/// <summary>The notification settings are checked before the Host starts, one line naming the setting.</summary>
public sealed class NotificationSettingsTests
{
    private static string? Problem(string key, string value) =>
        SettingsValidator.FirstProblem(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = "Data Source=data/workflows.db",
            [key] = value,
        }).Build());

    [Theory]
    [InlineData("Smtp:PollInterval", "00:00:00.100")]
    [InlineData("Smtp:BatchSize", "1")]
    [InlineData("Smtp:BatchSize", "1000")]
    [InlineData("Smtp:MaxAttempts", "1")]
    [InlineData("Smtp:UseTls", "true")]
    [InlineData("Workflows:PublicBaseUrl", "https://oa.county-edu.example/workflows/")]
    [InlineData("Workflows:TaskLinkLifetime", "14.00:00:00")]
    [InlineData("Workflows:SignInLinkLifetime", "00:15:00")]
    public void Good_values_pass(string key, string value) => Assert.Null(Problem(key, value));

    [Theory]
    [InlineData("Smtp:PollInterval", "soon")]
    [InlineData("Smtp:PollInterval", "00:00:00")]
    [InlineData("Smtp:BatchSize", "0")]
    [InlineData("Smtp:BatchSize", "5000")]
    [InlineData("Smtp:BatchSize", "many")]
    [InlineData("Smtp:MaxAttempts", "0")]
    [InlineData("Smtp:MaxAttempts", "-3")]
    [InlineData("Smtp:UseTls", "yes")]
    [InlineData("Workflows:PublicBaseUrl", "oa.county-edu.example")]
    [InlineData("Workflows:PublicBaseUrl", "ftp://oa.county-edu.example")]
    [InlineData("Workflows:PublicBaseUrl", "https://oa.county-edu.example/?x=1")]
    [InlineData("Workflows:TaskLinkLifetime", "-1.00:00:00")]
    [InlineData("Workflows:SignInLinkLifetime", "never")]
    public void A_bad_value_is_named_in_one_line(string key, string value)
    {
        var problem = Problem(key, value);

        Assert.NotNull(problem);
        Assert.StartsWith(key + " ", problem);
        Assert.Contains($"'{value}'", problem);
        Assert.DoesNotContain('\n', problem);
    }

    [Fact]
    public void The_backoff_doubles_from_ten_seconds_up_to_thirty_minutes()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), OutboxJob.Backoff(1));
        Assert.Equal(TimeSpan.FromSeconds(20), OutboxJob.Backoff(2));
        Assert.Equal(TimeSpan.FromSeconds(80), OutboxJob.Backoff(4));
        Assert.Equal(TimeSpan.FromSeconds(1280), OutboxJob.Backoff(8));
        Assert.Equal(TimeSpan.FromMinutes(30), OutboxJob.Backoff(9));
        Assert.Equal(TimeSpan.FromMinutes(30), OutboxJob.Backoff(1000));
    }
}
