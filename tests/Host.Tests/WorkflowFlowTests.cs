using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Workflows.Host.Tests.Support;

namespace Workflows.Host.Tests;

/// <summary>Import → start → wait for an event → resume, through the real Host's API.</summary>
public abstract class WorkflowFlowTests : HostTestBase
{
    [Fact]
    public async Task An_imported_workflow_waits_for_its_event_and_finishes_with_the_payload_in_a_variable()
    {
        var host = await StartHostAsync();
        var client = host.Client;

        var imported = await client.ImportAsync(HostApi.Workflow("event-wait.json"));
        Assert.True((bool)imported["created"]!);
        Assert.Equal(1, (int)imported["definition"]!["version"]!);
        Assert.True((bool)imported["definition"]!["isPublished"]!);

        var started = await client.StartAsync("event-wait", new JsonObject { ["amount"] = 12 }, "order-42");
        var id = started.Id();
        Assert.Equal("Running", started["status"]!.ToString());
        Assert.Equal("Suspended", started.SubStatus());
        Assert.Equal("order-42", started["correlationId"]!.ToString());
        Assert.Contains("started order-42", started["writeLines"]!.AsArray().Select(l => l!.ToString()));
        var bookmark = started.SingleBookmark();
        Assert.Equal("wait", bookmark["activityId"]!.ToString());
        Assert.Equal("Elsa.Event", bookmark["kind"]!.ToString());
        Assert.Equal("approved", bookmark["stimulus"]!.ToString());

        // An event for another correlation id leaves the instance alone.
        var other = await (await client.PostJson("/api/events/approved", """{"correlationId":"order-7","payload":{"ok":false}}""")
            .Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Empty(other["resumed"]!.AsArray());
        Assert.Equal("Suspended", (await client.GetInstanceAsync(id)).SubStatus());

        var raised = await (await client.PostJson("/api/events/approved",
            """{"correlationId":"order-42","payload":{"approved":true,"by":"ann"}}""").Expect(HttpStatusCode.OK)).ReadObjectAsync();
        var resumed = Assert.Single(raised["resumed"]!.AsArray())!;
        Assert.Equal(id, resumed["instanceId"]!.ToString());
        Assert.Equal("Finished", resumed["subStatus"]!.ToString());

        var instance = await client.GetInstanceAsync(id);
        Assert.Equal("Finished", instance["status"]!.ToString());
        Assert.Equal("Finished", instance.SubStatus());
        Assert.NotNull(instance["finishedAt"]);
        Assert.Empty(instance["bookmarks"]!.AsArray());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"approved":true,"by":"ann"}"""), instance["variables"]!["Decision"]),
            instance["variables"]!.ToJsonString());
        Assert.Equal(1, (int)instance["variables"]!["Counter"]!);

        var journal = instance.JournalEvents();
        AssertInOrder(journal, "WorkflowStarted", "BookmarkCreated", "BookmarkResumed", "WorkflowFinished");
        Assert.Single(journal, e => e == "BookmarkResumed");
        var resumedEntry = instance["journal"]!.AsArray().Single(j => j!["event"]!.ToString() == "BookmarkResumed")!;
        Assert.Equal("wait", resumedEntry["activityId"]!.ToString());

        await using var db = host.OpenDb();
        Assert.Equal(0, await db.Bookmarks.CountAsync(b => b.InstanceId == id, Ct));
        var row = await db.Instances.SingleAsync(i => i.Id == id, Ct);
        Assert.Equal("Finished", row.SubStatus);
    }

    [Fact]
    public async Task A_bookmark_resumed_by_its_id_finishes_the_instance_and_stores_the_payload()
    {
        var host = await StartHostAsync();
        var client = host.Client;
        await client.ImportAsync(HostApi.Workflow("event-wait.json"));
        var started = await client.StartAsync("event-wait", correlationId: "by-id");
        var bookmarkId = started.SingleBookmark()["id"]!.ToString();

        var resumed = await (await client.PostJson($"/api/instances/{started.Id()}/bookmarks/{bookmarkId}/resume",
            """{"payload":{"decision":"yes"}}""").Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Equal("Finished", resumed.SubStatus());
        Assert.Contains("""decided: {"decision":"yes"}""", resumed["writeLines"]!.AsArray().Select(l => l!.ToString()));

        var instance = await client.GetInstanceAsync(started.Id());
        Assert.Equal("Finished", instance.SubStatus());
        Assert.Equal("yes", instance["variables"]!["Decision"]!["decision"]!.ToString());
        AssertInOrder(instance.JournalEvents(), "WorkflowStarted", "BookmarkCreated", "BookmarkResumed", "WorkflowFinished");

        // The bookmark is gone: a second resume is refused and changes nothing.
        await client.PostJson($"/api/instances/{started.Id()}/bookmarks/{bookmarkId}/resume", "{}").ExpectProblem(HttpStatusCode.Conflict);
        Assert.Single((await client.GetInstanceAsync(started.Id())).JournalEvents(), e => e == "BookmarkResumed");
    }

    [Fact]
    public async Task The_instance_list_filters_by_status_and_correlation_id()
    {
        var host = await StartHostAsync();
        var client = host.Client;
        await client.ImportAsync(HostApi.Workflow("event-wait.json"));
        var a = await client.StartAsync("event-wait", correlationId: "a");
        await client.StartAsync("event-wait", correlationId: "b");
        await client.PostJson("/api/events/approved", """{"correlationId":"a"}""").Expect(HttpStatusCode.OK);

        var finished = await (await client.GetAsync("/api/instances?subStatus=Finished", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Equal(1, (int)finished["total"]!);
        Assert.Equal(a.Id(), finished["items"]![0]!["id"]!.ToString());
        var b = await (await client.GetAsync("/api/instances?correlationId=b&status=Running&pageSize=10", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Equal(1, (int)b["total"]!);
        Assert.Equal("Suspended", b["items"]![0]!["subStatus"]!.ToString());
    }

    [Fact]
    public async Task A_resume_that_cancels_a_branch_and_opens_150_waits_writes_every_row_once()
    {
        var host = await StartHostAsync();
        var client = host.Client;
        await client.ImportAsync(HostApi.Workflow("fan-out.json"));
        var started = await client.StartAsync("fan-out", correlationId: "fan");
        var id = started.Id();
        Assert.Equal(2, started["bookmarks"]!.AsArray().Count);

        // Event "a" wins the WaitAny fork: its bookmark is resumed, the one of "b" is removed with it, and the loop
        // opens 150 waits, all in one transaction (one DELETE of two bookmarks, journal rows in several INSERTs).
        var raised = await (await client.PostJson("/api/events/a", """{"correlationId":"fan"}""").Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Single(raised["resumed"]!.AsArray());
        await using (var db = host.OpenDb())
        {
            var bookmarks = await db.Bookmarks.Where(b => b.InstanceId == id).Select(b => b.Stimulus).ToListAsync(Ct);
            Assert.Equal(150, bookmarks.Count);
            Assert.All(bookmarks, s => Assert.Equal("later", s));
            var journal = await db.Journal.Where(j => j.InstanceId == id).OrderBy(j => j.Id).Select(j => new { j.Event, j.ActivityId, j.At }).ToListAsync(Ct);
            var resumedAt = journal.FindIndex(j => j.Event == "BookmarkResumed");
            Assert.Equal("a", journal[resumedAt].ActivityId);
            var afterResume = journal.Skip(resumedAt).ToList();
            Assert.Equal(150, afterResume.Count(j => j.Event == "BookmarkCreated" && j.ActivityId == "later"));
            // Rows keep the order the engine wrote them in.
            Assert.Equal(afterResume.OrderBy(j => j.At).Select(j => j.At), afterResume.Select(j => j.At));
        }
        // "b" is no longer waited for.
        Assert.Empty((await (await client.PostJson("/api/events/b", """{"correlationId":"fan"}""").Expect(HttpStatusCode.OK)).ReadObjectAsync())["resumed"]!.AsArray());

        var later = await (await client.PostJson("/api/events/later", """{"correlationId":"fan"}""").Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Equal(150, later["resumed"]!.AsArray().Count);
        Assert.Equal("Finished", (await client.GetInstanceAsync(id)).SubStatus());
        await using (var db = host.OpenDb())
        {
            Assert.Equal(0, await db.Bookmarks.CountAsync(b => b.InstanceId == id, Ct));
            Assert.Equal(150, await db.Journal.CountAsync(j => j.InstanceId == id && j.Event == "BookmarkResumed" && j.ActivityId == "later", Ct));
        }
    }

    internal static void AssertInOrder(IReadOnlyList<string> events, params string[] expected)
    {
        var at = -1;
        foreach (var e in expected)
        {
            var next = events.Skip(at + 1).ToList().IndexOf(e);
            Assert.True(next >= 0, $"'{e}' should follow in the journal: {string.Join(", ", events)}");
            at += next + 1;
        }
    }
}
