using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Workflows.Host.Tests.Support;

namespace Workflows.Host.Tests;

/// <summary>
/// Bad requests get a ProblemDetails with the right status that names the field, and change nothing:
/// every table has the same rows before and after. The tests share one Host (event-wait v1 published);
/// each starts its own instance.
/// </summary>
public abstract class BadInputTests(SharedHostFixture shared)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The shared Host and a new instance of event-wait waiting for its event.</summary>
    private async Task<(TestHost Host, JsonObject Instance)> StartWithWaitingInstanceAsync()
    {
        var instance = await shared.Host.Client.StartAsync("event-wait", correlationId: $"bad-input-{Guid.NewGuid():N}");
        return (shared.Host, instance);
    }

    private static string CorrelationOf(JsonObject instance) => instance["correlationId"]!.ToString();

    [Fact]
    public async Task Malformed_JSON_bodies_are_400_naming_the_body()
    {
        var (host, instance) = await StartWithWaitingInstanceAsync();
        var client = host.Client;
        var before = await Snapshot.TakeAsync(host);
        var resume = $"/api/instances/{instance.Id()}/bookmarks/{instance.SingleBookmark()["id"]}/resume";

        var problem = await client.PostJson("/api/instances", """{"definitionId": "event-wait", """).ExpectInvalid("body");
        Assert.Contains("not valid JSON", problem["errors"]!["body"]![0]!.ToString());
        await client.PostJson("/api/instances", "[1, 2]").ExpectInvalid("body");
        await client.PostJson("/api/instances", "").ExpectInvalid("body");
        await client.PostJson("/api/events/approved", """{"correlationId": "c", "payload": {"x": }""").ExpectInvalid("body");
        await client.PostJson(resume, """{"payload": [1, 2""").ExpectInvalid("body");
        await client.PostJson($"/api/instances/{instance.Id()}/cancel", "{oops").ExpectInvalid("body");
        await client.PostJson($"/api/instances/{instance.Id()}/move", "nope").ExpectInvalid("body");
        await client.PostJson("/api/definitions?publish=true", "  ").ExpectInvalid("body");
        // A definition that is not JSON is reported as a definition problem.
        var definition = await client.PostJson("/api/definitions?publish=true", """{"definitionId": "x", "root": {""")
            .ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Contains("not valid JSON", definition["problems"]![0]!["message"]!.ToString());

        Assert.Equal(before, await Snapshot.TakeAsync(host));
    }

    /// <summary>
    /// Every definition problem the API lists has its sentence in Simplified Chinese too (<c>messageZh</c>, what the
    /// designer shows), beside the English <c>message</c> that existing clients read.
    /// </summary>
    [Fact]
    public async Task Definition_problems_are_listed_in_English_and_Chinese()
    {
        var host = shared.Host;
        var definition = HostApi.Workflow("event-wait.json", d =>
            d["root"]!["activities"]!.AsArray().Add(new JsonObject { ["id"] = "mystery", ["type"] = "Acme.DoesNotExist" }));

        var validated = await (await host.Client.PostJson("/api/definitions/validate", definition).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        var mystery = validated["problems"]!.AsArray().Single(p => p!["activityId"]?.ToString() == "mystery" && p["severity"]!.ToString() == "error")!;
        Assert.Equal("Unknown activity type 'Acme.DoesNotExist'.", mystery["message"]!.ToString());
        Assert.Equal("未知的节点类型“Acme.DoesNotExist”。", mystery["messageZh"]!.ToString());

        // A refused import lists them the same way.
        var refused = await host.Client.PostJson("/api/definitions?publish=true", definition).ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Contains(refused["problems"]!.AsArray(), p => p!["messageZh"]?.ToString() == "未知的节点类型“Acme.DoesNotExist”。");

        // So do the warnings of an accepted one: an activity nothing leads to.
        var id = $"zh-warnings-{Guid.NewGuid():N}"[..24];
        var warned = HostApi.Workflow("event-wait.json", d =>
        {
            d["definitionId"] = id;
            d["root"]!["activities"]!.AsArray().Add(new JsonObject { ["id"] = "orphan", ["type"] = "Elsa.WriteLine", ["name"] = "孤立节点" });
        });
        var imported = await (await host.Client.PostJson("/api/definitions", warned).Expect(HttpStatusCode.Created)).ReadObjectAsync();
        var warning = Assert.Single(imported["warnings"]!.AsArray())!;
        Assert.Equal("orphan", warning["activityId"]!.ToString());
        Assert.Equal("warning", warning["severity"]!.ToString());
        Assert.Equal("'孤立节点' cannot be reached from the start; it will never run.", warning["message"]!.ToString());
        Assert.Equal("「孤立节点」没有从开始节点连过来，永远不会执行。", warning["messageZh"]!.ToString());
    }

    [Fact]
    public async Task A_definition_with_an_unknown_activity_type_is_400_listing_the_activity()
    {
        var host = shared.Host;
        var before = await Snapshot.TakeAsync(host);
        var definition = HostApi.Workflow("event-wait.json", d =>
            d["root"]!["activities"]!.AsArray().Add(new JsonObject { ["id"] = "mystery", ["type"] = "Acme.DoesNotExist" }));

        var problem = await host.Client.PostJson("/api/definitions?publish=true", definition).ExpectProblem(HttpStatusCode.BadRequest);
        var listed = problem["problems"]!.AsArray().Select(p => p!).ToList();
        Assert.Contains(listed, p => p["activityId"]?.ToString() == "mystery" && p["severity"]!.ToString() == "error"
            && p["message"]!.ToString().Contains("Acme.DoesNotExist"));
        Assert.Contains("Acme.DoesNotExist", problem["detail"]!.ToString());

        // Validation alone says the same without storing anything.
        var validated = await (await host.Client.PostJson("/api/definitions/validate", definition).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.False((bool)validated["succeeded"]!);
        Assert.Contains(validated["problems"]!.AsArray(), p => p!["activityId"]?.ToString() == "mystery");

        Assert.Equal(before, await Snapshot.TakeAsync(host));
        var versions = await (await host.Client.GetAsync("/api/definitions/event-wait/versions", Ct).Expect(HttpStatusCode.OK)).ReadArrayAsync();
        Assert.Single(versions);
    }

    [Fact]
    public async Task An_unknown_definition_is_404()
    {
        var (host, _) = await StartWithWaitingInstanceAsync();
        var client = host.Client;
        var before = await Snapshot.TakeAsync(host);

        var problem = await client.PostJson("/api/instances", """{"definitionId": "no-such-flow"}""").ExpectProblem(HttpStatusCode.NotFound);
        Assert.Contains("no-such-flow", problem["detail"]!.ToString());
        await client.GetAsync("/api/definitions/no-such-flow", Ct).ExpectProblem(HttpStatusCode.NotFound);
        await client.GetAsync("/api/definitions/no-such-flow/versions", Ct).ExpectProblem(HttpStatusCode.NotFound);
        await client.GetAsync("/api/definitions/no-such-flow/graph", Ct).ExpectProblem(HttpStatusCode.NotFound);
        await client.PostAsync("/api/definitions/no-such-flow/versions/1/publish", null, Ct).ExpectProblem(HttpStatusCode.NotFound);

        Assert.Equal(before, await Snapshot.TakeAsync(host));
    }

    [Fact]
    public async Task The_runtimes_refusals_say_why_in_Chinese_and_English_and_change_nothing()
    {
        var (host, instance) = await StartWithWaitingInstanceAsync();
        var client = host.Client;
        var instanceId = instance.Id();

        var unknown = await client.PostJson("/api/instances/no-such-instance/cancel", "{}").ExpectProblem(HttpStatusCode.NotFound);
        Assert.Equal("未找到 / Not found", unknown["title"]!.ToString());
        Assert.Equal("流程实例“no-such-instance”不存在 / Instance 'no-such-instance' does not exist.", unknown["detail"]!.ToString());

        var notFaulted = await client.PostJson($"/api/instances/{instanceId}/retry", "{}").ExpectProblem(HttpStatusCode.Conflict);
        Assert.Equal("操作冲突 / Conflict", notFaulted["title"]!.ToString());
        Assert.StartsWith("流程实例当前为“等待中”，只有出错的实例可以重试 / ", notFaulted["detail"]!.ToString());

        var noToken = await client.PostJson($"/api/instances/{instanceId}/move", """{"from": "nowhere", "to": "wait"}""").ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Contains("节点“nowhere”上没有正在进行的步骤", noToken["errors"]!["from"]![0]!.ToString());

        var before = await Snapshot.TakeAsync(host);
        await client.PostJson($"/api/instances/{instanceId}/cancel", "{}").Expect(HttpStatusCode.OK);
        var again = await client.PostJson($"/api/instances/{instanceId}/cancel", "{}").ExpectProblem(HttpStatusCode.Conflict);
        Assert.StartsWith("流程实例已结束（取消） / Instance ", again["detail"]!.ToString());
        Assert.NotEqual(before, await Snapshot.TakeAsync(host)); // the first cancel changed it …
        var cancelled = await Snapshot.TakeAsync(host);
        await client.PostJson($"/api/instances/{instanceId}/cancel", "{}").ExpectProblem(HttpStatusCode.Conflict);
        Assert.Equal(cancelled, await Snapshot.TakeAsync(host)); // … the refused ones did not
    }

    [Fact]
    public async Task An_unknown_version_is_404()
    {
        var (host, _) = await StartWithWaitingInstanceAsync();
        var client = host.Client;
        var before = await Snapshot.TakeAsync(host);

        var problem = await client.PostJson("/api/instances", """{"definitionId": "event-wait", "version": 99}""").ExpectProblem(HttpStatusCode.NotFound);
        Assert.Contains("99", problem["detail"]!.ToString());
        await client.GetAsync("/api/definitions/event-wait/versions/99", Ct).ExpectProblem(HttpStatusCode.NotFound);
        await client.GetAsync("/api/definitions/event-wait/graph?version=99", Ct).ExpectProblem(HttpStatusCode.NotFound);
        await client.PostAsync("/api/definitions/event-wait/versions/99/publish", null, Ct).ExpectProblem(HttpStatusCode.NotFound);

        Assert.Equal(before, await Snapshot.TakeAsync(host));
    }

    [Fact]
    public async Task Start_with_an_input_that_is_not_an_object_is_400_naming_input()
    {
        var (host, _) = await StartWithWaitingInstanceAsync();
        var before = await Snapshot.TakeAsync(host);

        foreach (var input in new[] { "[1, 2]", "\"text\"", "5", "true" })
            await host.Client.PostJson("/api/instances", $$"""{"definitionId": "event-wait", "input": {{input}}}""").ExpectInvalid("input");
        await host.Client.PostJson("/api/instances", """{"input": {}}""").ExpectInvalid("definitionId");
        await host.Client.PostJson("/api/instances", """{"definitionId": 5}""").ExpectInvalid("definitionId");
        await host.Client.PostJson("/api/instances", """{"definitionId": "event-wait", "correlationId": {"a": 1}}""").ExpectInvalid("correlationId");
        await host.Client.PostJson("/api/events/approved", """{"correlationId": 42}""").ExpectInvalid("correlationId");

        Assert.Equal(before, await Snapshot.TakeAsync(host));
    }

    [Fact]
    public async Task A_version_of_0_or_text_is_400_naming_version()
    {
        var (host, _) = await StartWithWaitingInstanceAsync();
        var before = await Snapshot.TakeAsync(host);

        foreach (var version in new[] { "0", "-1", "\"abc\"", "1.5", "[1]", "{}" })
            await host.Client.PostJson("/api/instances", $$"""{"definitionId": "event-wait", "version": {{version}}}""").ExpectInvalid("version");

        Assert.Equal(before, await Snapshot.TakeAsync(host));
    }

    [Fact]
    public async Task Resuming_a_bookmark_that_does_not_exist_is_409()
    {
        var (host, instance) = await StartWithWaitingInstanceAsync();
        var before = await Snapshot.TakeAsync(host);

        var problem = await host.Client.PostJson($"/api/instances/{instance.Id()}/bookmarks/no-such-bookmark/resume", """{"payload": 1}""")
            .ExpectProblem(HttpStatusCode.Conflict);
        Assert.Contains("no-such-bookmark", problem["detail"]!.ToString());

        Assert.Equal(before, await Snapshot.TakeAsync(host));
        Assert.Equal("Suspended", (await host.Client.GetInstanceAsync(instance.Id())).SubStatus());
    }

    [Fact]
    public async Task An_unknown_instance_is_404()
    {
        var (host, instance) = await StartWithWaitingInstanceAsync();
        var client = host.Client;
        var before = await Snapshot.TakeAsync(host);
        var bookmarkId = instance.SingleBookmark()["id"]!.ToString();

        var problem = await client.GetAsync("/api/instances/no-such-instance", Ct).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Contains("no-such-instance", problem["detail"]!.ToString());
        await client.PostJson($"/api/instances/no-such-instance/bookmarks/{bookmarkId}/resume", "{}").ExpectProblem(HttpStatusCode.NotFound);
        await client.PostJson("/api/instances/no-such-instance/cancel", "{}").ExpectProblem(HttpStatusCode.NotFound);
        await client.PostJson("/api/instances/no-such-instance/retry", "{}").ExpectProblem(HttpStatusCode.NotFound);
        await client.PostJson("/api/instances/no-such-instance/move", """{"from": "wait", "to": "end"}""").ExpectProblem(HttpStatusCode.NotFound);

        Assert.Equal(before, await Snapshot.TakeAsync(host));
    }

    [Fact]
    public async Task Cancelling_a_finished_instance_is_409()
    {
        var (host, instance) = await StartWithWaitingInstanceAsync();
        var client = host.Client;
        await client.PostJson("/api/events/approved", new JsonObject { ["correlationId"] = CorrelationOf(instance) }).Expect(HttpStatusCode.OK);
        Assert.Equal("Finished", (await client.GetInstanceAsync(instance.Id())).SubStatus());
        var before = await Snapshot.TakeAsync(host);

        var problem = await client.PostJson($"/api/instances/{instance.Id()}/cancel", """{"reason": "too late"}""").ExpectProblem(HttpStatusCode.Conflict);
        Assert.Contains("Finished", problem["detail"]!.ToString());
        await client.PostJson($"/api/instances/{instance.Id()}/retry", "{}").ExpectProblem(HttpStatusCode.Conflict);

        Assert.Equal(before, await Snapshot.TakeAsync(host));
    }

    [Fact]
    public async Task Cancelling_a_waiting_instance_works_once_then_is_409()
    {
        var (host, instance) = await StartWithWaitingInstanceAsync();
        var client = host.Client;

        var cancelled = await (await client.PostJson($"/api/instances/{instance.Id()}/cancel", """{"reason": "not needed"}""")
            .Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Equal("Cancelled", cancelled.SubStatus());
        await using (var db = host.OpenDb())
            Assert.Equal(0, await db.Bookmarks.CountAsync(b => b.InstanceId == instance.Id(), Ct));
        var before = await Snapshot.TakeAsync(host);

        await client.PostJson($"/api/instances/{instance.Id()}/cancel", "{}").ExpectProblem(HttpStatusCode.Conflict);
        await client.PostJson("/api/events/approved", new JsonObject { ["correlationId"] = CorrelationOf(instance) }).Expect(HttpStatusCode.OK);

        Assert.Equal(before, await Snapshot.TakeAsync(host));
    }

    [Fact]
    public async Task Move_without_to_is_400_naming_to()
    {
        var (host, instance) = await StartWithWaitingInstanceAsync();
        var client = host.Client;
        var before = await Snapshot.TakeAsync(host);
        var move = $"/api/instances/{instance.Id()}/move";

        await client.PostJson(move, """{"from": "wait"}""").ExpectInvalid("to");
        await client.PostJson(move, """{"from": "wait", "to": ""}""").ExpectInvalid("to");
        await client.PostJson(move, """{"to": "end"}""").ExpectInvalid("from");
        await client.PostJson(move, """{"from": "wait", "to": "no-such-activity"}""").ExpectInvalid("to");
        await client.PostJson(move, """{"from": "hello", "to": "end"}""").ExpectInvalid("from");

        Assert.Equal(before, await Snapshot.TakeAsync(host));
    }

    [Fact]
    public async Task Listing_with_a_bad_page_size_page_or_status_is_400_naming_it()
    {
        var (host, _) = await StartWithWaitingInstanceAsync();
        var client = host.Client;
        var before = await Snapshot.TakeAsync(host);

        await client.GetAsync("/api/instances?pageSize=0", Ct).ExpectInvalid("pageSize");
        await client.GetAsync("/api/instances?pageSize=501", Ct).ExpectInvalid("pageSize");
        await client.GetAsync("/api/instances?page=0", Ct).ExpectInvalid("page");
        await client.GetAsync("/api/instances?status=Sleeping", Ct).ExpectInvalid("status");
        await client.GetAsync("/api/instances?subStatus=Sleeping", Ct).ExpectInvalid("subStatus");
        // Not a number at all: the framework refuses it before the handler runs.
        await client.GetAsync("/api/instances?pageSize=abc", Ct).ExpectProblem(HttpStatusCode.BadRequest);

        Assert.Equal(before, await Snapshot.TakeAsync(host));
    }

    [Fact]
    public async Task Values_longer_than_the_database_takes_are_400_not_500()
    {
        var (host, _) = await StartWithWaitingInstanceAsync();
        var client = host.Client;
        var before = await Snapshot.TakeAsync(host);

        var longId = await client.PostJson("/api/definitions?publish=true", HostApi.Workflow("event-wait.json", d => d["definitionId"] = new string('d', 101)))
            .ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Contains("definitionId", longId["detail"]!.ToString());
        var longName = await client.PostJson("/api/definitions?publish=true", HostApi.Workflow("event-wait.json", d => d["name"] = new string('n', 201)))
            .ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Contains("name", longName["detail"]!.ToString());
        var longActivity = await client.PostJson("/api/definitions?publish=true",
                HostApi.Workflow("event-wait.json", d => HostApi.Activity(d, "hello")["id"] = new string('a', 101)))
            .ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Contains(longActivity["problems"]!.AsArray(), p => p!["activityId"]?.ToString() == new string('a', 101));
        await client.PostJson("/api/instances", new JsonObject { ["definitionId"] = "event-wait", ["correlationId"] = new string('c', 201) })
            .ExpectInvalid("correlationId");

        Assert.Equal(before, await Snapshot.TakeAsync(host));
    }

    /// <summary>Row counts of every table plus the instances' concurrency versions.</summary>
    private sealed record Snapshot(int Definitions, int Instances, int Bookmarks, int Timers, int Journal, int Outbox, string InstanceVersions)
    {
        public static async Task<Snapshot> TakeAsync(TestHost host)
        {
            await using var db = host.OpenDb();
            var versions = await db.Instances.AsNoTracking().OrderBy(i => i.Id).Select(i => i.Id + ":" + i.Version + ":" + i.SubStatus).ToListAsync(Ct);
            return new Snapshot(
                await db.Definitions.CountAsync(Ct), await db.Instances.CountAsync(Ct), await db.Bookmarks.CountAsync(Ct),
                await db.Timers.CountAsync(Ct), await db.Journal.CountAsync(Ct), await db.Outbox.CountAsync(Ct),
                string.Join(",", versions));
        }
    }
}
