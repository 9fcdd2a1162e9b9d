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
    public async Task Starts_repeated_with_one_Idempotency_Key_create_one_instance_and_answer_it_to_every_caller()
    {
        var host = await StartHostAsync();
        var client = host.Client;
        await client.ImportAsync(HostApi.Workflow("event-wait.json"));
        HttpRequestMessage Start(string key, string definitionId = "event-wait")
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/instances")
            {
                Content = HostApi.Json(new JsonObject { ["definitionId"] = definitionId, ["correlationId"] = "once" }),
            };
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }

        // Twenty callers (a client retrying after lost answers, a double click) send the same start at once.
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.SendAsync(Start("form-7f3a"), Ct)));
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{(int)r.StatusCode}"));
        var ids = new HashSet<string>();
        foreach (var response in responses) ids.Add((await response.ReadObjectAsync()).Id());
        var id = Assert.Single(ids);
        var listed = await (await client.GetAsync("/api/instances?correlationId=once", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Equal(id, Assert.Single(listed["items"]!.AsArray())!.Id());

        // Later repeats answer the same instance; the key cannot start another definition; a bad key is named.
        var again = await client.SendAsync(Start("form-7f3a"), Ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(id, (await again.ReadObjectAsync()).Id());
        await client.ImportAsync(HostApi.Workflow("delay-counter.json"));
        await Task.FromResult(await client.SendAsync(Start("form-7f3a", "delay-counter"), Ct)).ExpectProblem(HttpStatusCode.Conflict);
        await Task.FromResult(await client.SendAsync(Start(new string('k', 101)), Ct)).ExpectInvalid("Idempotency-Key");
        // Another key is another start.
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Start("form-7f3b"), Ct)).StatusCode);
        listed = await (await client.GetAsync("/api/instances?correlationId=once", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Equal(2, listed["items"]!.AsArray().Count);
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
