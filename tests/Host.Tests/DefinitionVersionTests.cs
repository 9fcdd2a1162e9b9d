using System.Net;
using System.Text.Json.Nodes;
using Workflows.Host.Tests.Support;

namespace Workflows.Host.Tests;

/// <summary>Importing the same content keeps the version; new content is a new version; instances stay on theirs.</summary>
public abstract class DefinitionVersionTests : HostTestBase
{
    /// <summary>event-wait with another text after the event: different content, same id.</summary>
    private static JsonObject Version2() => HostApi.Workflow("event-wait.json", d =>
        HostApi.Activity(d, "done")["text"] = new JsonObject
        {
            ["typeName"] = "String",
            ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = "v2 done" },
        });

    [Fact]
    public async Task Reimporting_identical_content_keeps_the_version_and_changed_content_adds_one()
    {
        var host = await StartHostAsync();
        var client = host.Client;

        var first = await client.ImportAsync(HostApi.Workflow("event-wait.json"));
        Assert.Equal(1, (int)first["definition"]!["version"]!);
        var same = await client.ImportAsync(HostApi.Workflow("event-wait.json"), expected: HttpStatusCode.OK);
        Assert.False((bool)same["created"]!);
        Assert.Equal(1, (int)same["definition"]!["version"]!);
        // The version number inside the file is not content: an exported v1 imports as v1 again.
        var exported = HostApi.Workflow("event-wait.json", d => d["version"] = 7);
        Assert.Equal(1, (int)(await client.ImportAsync(exported, expected: HttpStatusCode.OK))["definition"]!["version"]!);

        var second = await client.ImportAsync(Version2());
        Assert.True((bool)second["created"]!);
        Assert.Equal(2, (int)second["definition"]!["version"]!);
        Assert.Equal(2, (int)(await client.ImportAsync(Version2(), expected: HttpStatusCode.OK))["definition"]!["version"]!);

        var versions = await (await client.GetAsync("/api/definitions/event-wait/versions", Ct).Expect(HttpStatusCode.OK)).ReadArrayAsync();
        Assert.Equal([2, 1], versions.Select(v => (int)v!["version"]!));
        Assert.Equal([true, false], versions.Select(v => (bool)v!["isLatest"]!));
        Assert.All(versions, v => Assert.Equal("api", v!["source"]!.ToString()));

        // GET returns the latest stored JSON, with our version number in it; a version by number too.
        var latest = await (await client.GetAsync("/api/definitions/event-wait", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Equal(2, (int)latest["version"]!);
        var v1 = await (await client.GetAsync("/api/definitions/event-wait/versions/1", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Equal(1, (int)v1["version"]!);
        Assert.Contains("decided", HostApi.Activity(v1, "done")["text"]!["expression"]!["value"]!.ToString());

        var list = await (await client.GetAsync("/api/definitions", Ct).Expect(HttpStatusCode.OK)).ReadArrayAsync();
        var only = Assert.Single(list)!;
        Assert.Equal(2, (int)only["version"]!);
    }

    [Fact]
    public async Task An_instance_started_on_version_1_finishes_on_version_1_after_version_2_is_published()
    {
        var host = await StartHostAsync();
        var client = host.Client;
        await client.ImportAsync(HostApi.Workflow("event-wait.json"));
        var old = await client.StartAsync("event-wait", correlationId: "old");
        Assert.Equal(1, (int)old["definitionVersion"]!);

        await client.ImportAsync(Version2());
        var fresh = await client.StartAsync("event-wait", correlationId: "new");
        Assert.Equal(2, (int)fresh["definitionVersion"]!);
        var pinned = await client.StartAsync("event-wait", correlationId: "pinned", version: 1);
        Assert.Equal(1, (int)pinned["definitionVersion"]!);

        var oldDone = await (await client.PostJson($"/api/instances/{old.Id()}/bookmarks/{old.SingleBookmark()["id"]}/resume",
            """{"payload": "ok"}""").Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Equal("Finished", oldDone.SubStatus());
        Assert.Equal(1, (int)oldDone["definitionVersion"]!);
        Assert.Contains("decided: \"ok\"", oldDone["writeLines"]!.AsArray().Select(l => l!.ToString()));

        var newDone = await (await client.PostJson($"/api/instances/{fresh.Id()}/bookmarks/{fresh.SingleBookmark()["id"]}/resume",
            """{"payload": "ok"}""").Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Equal(2, (int)newDone["definitionVersion"]!);
        Assert.Contains("v2 done", newDone["writeLines"]!.AsArray().Select(l => l!.ToString()));

        Assert.Equal(1, (int)(await client.GetInstanceAsync(old.Id()))["definitionVersion"]!);
    }

    [Fact]
    public async Task Simultaneous_imports_of_different_content_each_get_their_own_version()
    {
        var host = await StartHostAsync();
        const int imports = 10;

        var responses = await Task.WhenAll(Enumerable.Range(1, imports).Select(i =>
            host.Client.PostJson("/api/definitions?publish=true", HostApi.Workflow("event-wait.json", d => d["name"] = $"copy {i}"))));

        var bodies = new List<string>();
        foreach (var response in responses) bodies.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        Assert.True(responses.All(r => r.StatusCode == HttpStatusCode.Created), string.Join(Environment.NewLine, bodies));
        var versions = new List<int>();
        foreach (var response in responses) versions.Add((int)(await response.ReadObjectAsync())["definition"]!["version"]!);
        Assert.Equal(Enumerable.Range(1, imports), versions.Order());
        var stored = await (await host.Client.GetAsync("/api/definitions/event-wait/versions", Ct).Expect(HttpStatusCode.OK)).ReadArrayAsync();
        Assert.Equal(imports, stored.Count);
        Assert.Single(stored, v => (bool)v!["isLatest"]!);
    }

    [Fact]
    public async Task An_unpublished_import_cannot_start_until_it_is_published()
    {
        var host = await StartHostAsync();
        var client = host.Client;
        var imported = await client.ImportAsync(HostApi.Workflow("event-wait.json"), publish: false);
        Assert.False((bool)imported["definition"]!["isPublished"]!);
        await client.PostJson("/api/instances", """{"definitionId": "event-wait"}""").ExpectProblem(HttpStatusCode.NotFound);

        var published = await (await client.PostAsync("/api/definitions/event-wait/versions/1/publish", null, Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.True((bool)published["isPublished"]!);
        Assert.Equal("Suspended", (await client.StartAsync("event-wait")).SubStatus());
    }

    [Fact]
    public async Task The_graph_is_Mermaid_text_naming_every_activity()
    {
        var host = await StartHostAsync();
        var client = host.Client;
        await client.ImportAsync(HostApi.Workflow("event-wait.json"));
        await client.ImportAsync(Version2());

        var graph = await (await client.GetAsync("/api/definitions/event-wait/graph", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Equal(2, (int)graph["version"]!);
        var mermaid = graph["mermaid"]!.ToString();
        Assert.StartsWith("flowchart", mermaid.TrimStart());
        foreach (var id in new[] { "start", "hello", "wait", "count", "done", "end" })
            Assert.Contains(id, mermaid);
        Assert.Contains("-->", mermaid);

        var v1 = await (await client.GetAsync("/api/definitions/event-wait/graph?version=1", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Equal(1, (int)v1["version"]!);
        Assert.Contains("wait", v1["mermaid"]!.ToString());
    }
}
