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

    [Fact]
    public async Task Many_timers_due_at_once_are_fired_in_batches_each_exactly_once()
    {
        const int count = 300;
        var host = await StartHostAsync();
        await host.Client.ImportAsync(HostApi.Workflow("delay-counter.json"));
        var runtime = host.Services.GetRequiredService<Workflows.Host.Runtime.WorkflowRuntime>();
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
            ids.Add((await runtime.StartAsync("delay-counter", null, null, null, new Workflows.Host.Runtime.Actor("test"), Ct)).InstanceId);

        // Due in a day, more than Workflows:TimerScheduleAhead away: no job of their own, the pumps fire them in batches.
        host.Time.Advance(OneDay + TimeSpan.FromMinutes(1));
        await HostApi.Eventually<object>(async () =>
        {
            await using var db = host.OpenDb();
            return await db.Instances.CountAsync(i => ids.Contains(i.Id) && i.Status == "Finished", Ct) == count ? new object() : null;
        }, TimeSpan.FromSeconds(120));

        // Let every queued job run out, then look: each timer fired once, each instance resumed once.
        var monitoring = host.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        await HostApi.Eventually<object>(async () =>
        {
            await Task.Yield();
            return monitoring.ProcessingCount() == 0 && monitoring.EnqueuedCount("default") == 0 ? new object() : null;
        }, TimeSpan.FromSeconds(60));
        await using (var db = host.OpenDb())
        {
            var timers = await db.Timers.AsNoTracking().Where(t => ids.Contains(t.InstanceId)).ToListAsync(Ct);
            Assert.Equal(count, timers.Count);
            Assert.All(timers, t => Assert.Equal(TimerStatus.Fired, t.Status));
            Assert.All(timers, t => Assert.StartsWith("pump:", t.ScheduledJobId));
            var resumed = await db.Journal.AsNoTracking().Where(j => ids.Contains(j.InstanceId) && j.Event == "BookmarkResumed")
                .GroupBy(j => j.InstanceId).Select(g => g.Count()).ToListAsync(Ct);
            Assert.Equal(count, resumed.Count);
            Assert.All(resumed, n => Assert.Equal(1, n));
            var finishedEvents = await db.Journal.CountAsync(j => ids.Contains(j.InstanceId) && j.Event == "WorkflowFinished", Ct);
            Assert.Equal(count, finishedEvents);
            // One claim per batch of Workflows:TimerBatchSize (100): a few claims, none larger than a batch.
            var claims = timers.GroupBy(t => t.ScheduledJobId).Select(g => g.Count()).ToList();
            Assert.InRange(claims.Count, 3, count / 10);
            Assert.All(claims, n => Assert.InRange(n, 1, 100));
        }
        var jobs = monitoring.SucceededJobs(0, 1000).Where(j => j.Value.Job?.Type == typeof(TimerJob)).Select(j => j.Value.Job!.Method.Name).ToList();
        Assert.Contains(nameof(TimerJob.FireBatchAsync), jobs);
        Assert.DoesNotContain(nameof(TimerJob.FireAsync), jobs);
    }

    private static async Task<TimerRecord> TimerOf(TestHost host, string instanceId)
    {
        await using var db = host.OpenDb();
        return await db.Timers.AsNoTracking().SingleAsync(t => t.InstanceId == instanceId, Ct);
    }
}
