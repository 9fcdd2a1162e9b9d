using System.Net;
using System.Text.Json.Nodes;
using Workflows.Host.Tests.Support;

namespace Workflows.Host.Tests;

/// <summary>Many callers resume the same bookmark at once: exactly one wins, the rest get 409, none a 500.</summary>
public abstract class ConcurrencyTests : HostTestBase
{
    private const int Callers = 50;

    [Fact]
    public async Task Fifty_simultaneous_resumes_of_one_bookmark_give_one_200_and_forty_nine_409()
    {
        var host = await StartHostAsync();
        var client = host.Client;
        await client.ImportAsync(HostApi.Workflow("event-wait.json"));
        var started = await client.StartAsync("event-wait", correlationId: "race");
        var url = $"/api/instances/{started.Id()}/bookmarks/{started.SingleBookmark()["id"]}/resume";

        var responses = await Task.WhenAll(Enumerable.Range(0, Callers).Select(i =>
            client.PostAsync(url, HostApi.Json(new JsonObject { ["payload"] = new JsonObject { ["caller"] = i } }), Ct)));

        var statuses = responses.GroupBy(r => r.StatusCode).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.OK) == 1 && statuses.GetValueOrDefault(HttpStatusCode.Conflict) == Callers - 1,
            "statuses: " + string.Join(", ", statuses.Select(s => $"{(int)s.Key}×{s.Value}")) + Environment.NewLine
            + string.Join(Environment.NewLine, host.Log));
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
            await Task.FromResult(conflict).ExpectProblem(HttpStatusCode.Conflict);

        var winner = await responses.Single(r => r.StatusCode == HttpStatusCode.OK).ReadObjectAsync();
        Assert.Equal("Finished", winner.SubStatus());
        var instance = await client.GetInstanceAsync(started.Id());
        Assert.Equal("Finished", instance.SubStatus());
        Assert.Single(instance.JournalEvents(), e => e == "BookmarkResumed");
        Assert.Single(instance.JournalEvents(), e => e == "WorkflowFinished");
        Assert.Equal(1, (int)instance["variables"]!["Counter"]!);
        // The stored variable is the winner's payload.
        Assert.True(JsonNode.DeepEquals(winner["variables"]!["Decision"], instance["variables"]!["Decision"]));
    }

    [Fact]
    public async Task Fifty_simultaneous_events_for_one_correlation_id_resume_the_instance_once()
    {
        var host = await StartHostAsync();
        var client = host.Client;
        await client.ImportAsync(HostApi.Workflow("event-wait.json"));
        var target = await client.StartAsync("event-wait", correlationId: "race");
        var bystander = await client.StartAsync("event-wait", correlationId: "someone-else");

        var responses = await Task.WhenAll(Enumerable.Range(0, Callers).Select(i =>
            client.PostAsync("/api/events/approved",
                HostApi.Json(new JsonObject { ["correlationId"] = "race", ["payload"] = new JsonObject { ["caller"] = i } }), Ct)));

        var bodies = new List<JsonObject>();
        foreach (var response in responses)
            bodies.Add(await (await Task.FromResult(response).Expect(HttpStatusCode.OK)).ReadObjectAsync());
        var resumed = bodies.SelectMany(b => b["resumed"]!.AsArray()).ToList();
        var single = Assert.Single(resumed)!;
        Assert.Equal(target.Id(), single["instanceId"]!.ToString());

        var instance = await client.GetInstanceAsync(target.Id());
        Assert.Equal("Finished", instance.SubStatus());
        Assert.Single(instance.JournalEvents(), e => e == "BookmarkResumed");
        Assert.Equal(1, (int)instance["variables"]!["Counter"]!);
        Assert.Equal("Suspended", (await client.GetInstanceAsync(bystander.Id())).SubStatus());
    }
}
