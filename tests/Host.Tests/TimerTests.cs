using System.Text.Json.Nodes;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Workflows.Host.Scheduling;
using Workflows.Host.Tests.Support;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Tests;

/// <summary>
/// Elsa.Delay through the Host: the timer row, the pump that hands due timers to Hangfire, the job that
/// fires them. The clock is a FakeTimeProvider: the tests move it and then wait for the Host to react.
/// </summary>
public abstract class TimerTests : HostTestBase
{
    private static readonly TimeSpan OneDay = TimeSpan.FromDays(1);

    [Fact]
    public async Task A_delay_fires_only_after_the_clock_passes_its_due_time_and_the_instance_finishes()
    {
        var host = await StartHostAsync();
        var client = host.Client;
        await client.ImportAsync(HostApi.Workflow("delay-counter.json"));

        var started = await client.StartAsync("delay-counter");
        var id = started.Id();
        Assert.Equal("Suspended", started.SubStatus());
        var bookmark = started.SingleBookmark();
        Assert.Equal("Timer", bookmark["kind"]!.ToString());
        Assert.Equal(TestHost.T0 + OneDay, DateTimeOffset.Parse(bookmark["dueAt"]!.ToString()));
        var timer = await TimerOf(host, id);
        Assert.Equal(TimerStatus.Pending, timer.Status);
        Assert.Equal(TestHost.T0 + OneDay, timer.DueAt);

        // Not yet due: the pump finds nothing, the instance keeps waiting.
        host.Time.Advance(TimeSpan.FromHours(23));
        Assert.Equal(0, await host.Services.GetRequiredService<TimerPump>().ScanAsync(Ct));
        Assert.Equal("Suspended", (await client.GetInstanceAsync(id)).SubStatus());
        timer = await TimerOf(host, id);
        Assert.Equal(TimerStatus.Pending, timer.Status);
        Assert.Null(timer.ScheduledJobId);

        // Past due: the pump claims the timer, Hangfire runs TimerJob, the instance goes on and ends.
        host.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        var finished = await host.WaitForAsync(id, "Finished");
        Assert.Equal(1, (int)finished["variables"]!["Counter"]!);
        var resumed = Assert.Single(finished["journal"]!.AsArray(), j => j!["event"]!.ToString() == "BookmarkResumed")!;
        Assert.Equal("delay", resumed["activityId"]!.ToString());
        Assert.Equal("timer", resumed["actor"]!.ToString());
        WorkflowFlowTests.AssertInOrder(finished.JournalEvents(), "WorkflowStarted", "BookmarkCreated", "BookmarkResumed", "WorkflowFinished");

        timer = await TimerOf(host, id);
        Assert.Equal(TimerStatus.Fired, timer.Status);
        Assert.Equal(host.Time.GetUtcNow(), timer.FiredAt);
        Assert.StartsWith("pump:", timer.ScheduledJobId);

        // Hangfire ran it as a TimerJob.
        var monitoring = host.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        await HostApi.Eventually<object>(async () =>
        {
            await Task.Yield();
            return monitoring.SucceededJobs(0, 10).Any(j => j.Value.Job?.Type == typeof(TimerJob)) ? new object() : null;
        }, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_timer_pending_when_its_host_stopped_fires_exactly_once_on_the_next_host()
    {
        var database = await NewDatabaseAsync();
        var first = await StartHostAsync(database);
        await first.Client.ImportAsync(HostApi.Workflow("delay-counter.json"));
        var id = (await first.Client.StartAsync("delay-counter")).Id();
        Assert.Equal(TimerStatus.Pending, (await TimerOf(first, id)).Status);
        var firstStorage = first.Services.GetRequiredService<JobStorage>();
        await StopHostAsync(first);

        // A new process (here: a new Host in this one) whose clock is past the due time.
        var second = await StartHostAsync(database, new FakeTimeProvider(TestHost.T0 + OneDay + TimeSpan.FromMinutes(5)));
        var secondStorage = second.Services.GetRequiredService<JobStorage>();
        Assert.NotSame(firstStorage, secondStorage); // each Host has its own Hangfire storage

        var finished = await second.WaitForAsync(id, "Finished");
        Assert.Equal(1, (int)finished["variables"]!["Counter"]!);

        // Let every job the second Host queued (the restart's reschedule, the pump's) run out, then look again.
        var monitoring = secondStorage.GetMonitoringApi();
        await HostApi.Eventually<object>(async () =>
        {
            await Task.Yield();
            return monitoring.ProcessingCount() == 0 && monitoring.EnqueuedCount("default") == 0 ? new object() : null;
        }, TimeSpan.FromSeconds(60));
        var again = await second.Client.GetInstanceAsync(id);
        Assert.Single(again.JournalEvents(), e => e == "BookmarkResumed");
        Assert.Single(again.JournalEvents(), e => e == "WorkflowFinished");
        Assert.Equal(1, (int)again["variables"]!["Counter"]!);
        var timer = await TimerOf(second, id);
        Assert.Equal(TimerStatus.Fired, timer.Status);
    }

    [Fact]
    public async Task A_timer_claimed_by_a_host_that_died_before_its_job_ran_is_fired_once_the_claim_runs_out()
    {
        var host = await StartHostAsync();
        await host.Client.ImportAsync(HostApi.Workflow("delay-counter.json"));
        var id = (await host.Client.StartAsync("delay-counter")).Id();
        // Another Host's pump claimed the timer when it was due and died (SIGKILL) before its job ran.
        var dead = $"pump:gone:4242:{(TestHost.T0 + OneDay).ToUnixTimeSeconds()}";
        await using (var db = host.OpenDb())
            await db.Timers.Where(t => t.InstanceId == id).ExecuteUpdateAsync(s => s.SetProperty(t => t.ScheduledJobId, dead), Ct);

        // Within Workflows:TimerClaimLease (2 minutes) the claim is respected.
        host.Time.Advance(OneDay + TimeSpan.FromSeconds(30));
        Assert.Equal(0, await host.Services.GetRequiredService<TimerPump>().ScanAsync(Ct));
        Assert.Equal(dead, (await TimerOf(host, id)).ScheduledJobId);

        // Then any Host's pump takes it over, and it fires exactly once.
        host.Time.Advance(TimeSpan.FromMinutes(2));
        var finished = await host.WaitForAsync(id, "Finished");
        Assert.Equal(1, (int)finished["variables"]!["Counter"]!);
        Assert.Single(finished.JournalEvents(), e => e == "BookmarkResumed");
        var timer = await TimerOf(host, id);
        Assert.Equal(TimerStatus.Fired, timer.Status);
        Assert.StartsWith("pump:", timer.ScheduledJobId);
        Assert.NotEqual(dead, timer.ScheduledJobId);
    }

    private static async Task<TimerRecord> TimerOf(TestHost host, string instanceId)
    {
        await using var db = host.OpenDb();
        return await db.Timers.AsNoTracking().SingleAsync(t => t.InstanceId == instanceId, Ct);
    }
}
