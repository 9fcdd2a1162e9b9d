using System.Text.Json.Nodes;
using Workflows.Engine.Activities.Core;
using Workflows.Engine.Execution;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Activities;

/// <summary>Delay, Timer, StartAt and Cron leave a bookmark due at a moment computed from the clock; resuming completes them.</summary>
public sealed class TimerTests
{
    private static async Task<Runner> StartWaiting(JsonObject timer, TimeSpan? clockAdvance = null)
    {
        var runner = new Runner(new Flow().Add(A.Start(), timer, A.WriteLine("after", "after")).Chain("start", "timer", "after").Definition());
        if (clockAdvance is { } by) runner.Time.Advance(by);
        return await runner.StartAsync();
    }

    [Fact]
    public async Task Delay_is_due_after_its_time_span_from_now_and_resuming_completes_it()
    {
        var run = await StartWaiting(A.Delay("timer", "00:05:00"), clockAdvance: TimeSpan.FromHours(1));

        var bookmark = run.BookmarkAt("timer");
        Assert.Equal(TimerActivity.TimerKind, bookmark.Kind);
        Assert.Equal(Runner.Epoch.AddHours(1).AddMinutes(5), bookmark.DueAt);
        Assert.Equal([bookmark], run.Last.DueBookmarks);
        Assert.Equal(WorkflowSubStatus.Suspended, run.SubStatus);
        Assert.Empty(run.Lines);

        run.Time.Advance(TimeSpan.FromMinutes(5));
        await run.ResumeAsync("timer");

        Assert.Equal(["after"], run.Lines);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
        Assert.Equal([bookmark], run.Last.RemovedBookmarks);
        Assert.Equal(Runner.Epoch.AddHours(1).AddMinutes(5), run.State.FinishedAt);
    }

    [Theory]
    [InlineData("00:01:00")]
    [InlineData("PT1M")]
    public async Task Timer_is_due_one_interval_later(string interval)
    {
        var run = await StartWaiting(A.Node("timer", "Elsa.Timer", ("interval", In.Literal(interval, "TimeSpan"))));

        Assert.Equal(Runner.Epoch.AddMinutes(1), run.BookmarkAt("timer").DueAt);
        await run.ResumeAsync("timer");
        Assert.Equal(["after"], run.Lines);
    }

    [Fact]
    public async Task StartAt_is_due_at_its_moment()
    {
        var run = await StartWaiting(A.Node("timer", "Elsa.StartAt", ("dateTime", In.Literal("2025-03-02T08:30:00Z", "DateTimeOffset"))));

        Assert.Equal(new DateTimeOffset(2025, 3, 2, 8, 30, 0, TimeSpan.Zero), run.BookmarkAt("timer").DueAt);
        await run.ResumeAsync("timer");
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }

    [Theory]
    [InlineData("30 10 * * *", "2025-03-01T10:30:00Z")]
    [InlineData("0 0 * * * *", "2025-03-01T10:00:00Z")]
    [InlineData("0 8 * * MON", "2025-03-03T08:00:00Z")]
    public async Task Cron_is_due_at_the_next_occurrence_after_now(string cron, string expected)
    {
        var run = await StartWaiting(A.Node("timer", "Elsa.Cron", ("cronExpression", In.Literal(cron))));

        Assert.Equal(DateTimeOffset.Parse(expected), run.BookmarkAt("timer").DueAt);
        await run.ResumeAsync("timer");
        Assert.Equal(["after"], run.Lines);
    }

    [Fact]
    public async Task A_Delay_that_is_not_a_time_span_faults()
    {
        var run = await StartWaiting(A.Delay("timer", "soon"));

        Assert.Equal(WorkflowSubStatus.Faulted, run.SubStatus);
        Assert.Contains("not a time span", Assert.Single(run.State.Incidents).Message);
    }
}
