using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Workflows.Host.Tests.Support;

/// <summary>Calls of the Host's REST API as a client makes them, with the checks every test needs.</summary>
public static class HostApi
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
    public static StringContent Json(JsonNode node) => Json(node.ToJsonString());

    /// <summary>A definition file of these tests (tests/Host.Tests/Workflows), optionally changed first.</summary>
    public static JsonObject Workflow(string file, Action<JsonObject>? change = null)
    {
        var json = (JsonObject)JsonNode.Parse(File.ReadAllText(Paths.TestWorkflow(file)))!;
        change?.Invoke(json);
        return json;
    }

    /// <summary>The activity with <paramref name="id"/> in the root flowchart of <paramref name="definition"/>.</summary>
    public static JsonObject Activity(JsonObject definition, string id) =>
        definition["root"]!["activities"]!.AsArray().OfType<JsonObject>().Single(a => a["id"]!.ToString() == id);

    /// <summary>
    /// Asserts a message a person reads is written "中文 / English" (what the UI's Loc.Pick splits): Chinese before the
    /// first " / ", and exactly <paramref name="english"/> after it. Returns the Chinese half.
    /// </summary>
    public static string AssertChineseThenEnglish(JsonNode? message, string english)
    {
        var text = message?.ToString() ?? "";
        var slash = text.IndexOf(" / ", StringComparison.Ordinal);
        Assert.True(slash > 0, $"expected \"中文 / English\", got: {text}");
        var chinese = text[..slash];
        Assert.True(chinese.Any(c => c is >= '\u4e00' and <= '\u9fff'), $"the first half should be Chinese: {text}");
        Assert.Equal(english, text[(slash + 3)..]);
        return chinese;
    }

    public static async Task<JsonObject> ReadObjectAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        return JsonNode.Parse(text) as JsonObject
            ?? throw new Xunit.Sdk.XunitException($"{(int)response.StatusCode}: expected a JSON object, got: {text}");
    }

    public static async Task<JsonArray> ReadArrayAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        return JsonNode.Parse(text) as JsonArray
            ?? throw new Xunit.Sdk.XunitException($"{(int)response.StatusCode}: expected a JSON array, got: {text}");
    }

    /// <summary>Asserts the status, showing the body when it differs.</summary>
    public static async Task<HttpResponseMessage> Expect(this Task<HttpResponseMessage> call, HttpStatusCode status)
    {
        var response = await call;
        if (response.StatusCode != status)
            Assert.Fail($"Expected {(int)status} {status}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}"
                + ((int)response.StatusCode >= 500 ? Environment.NewLine + "Host log:" + Environment.NewLine + string.Join(Environment.NewLine, TestHost.LogsOfCurrentTest().TakeLast(20)) : ""));
        return response;
    }

    /// <summary>Asserts a ProblemDetails of <paramref name="status"/> and returns it.</summary>
    public static async Task<JsonObject> ExpectProblem(this Task<HttpResponseMessage> call, HttpStatusCode status)
    {
        var response = await call.Expect(status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadObjectAsync();
        Assert.Equal((int)status, (int)problem["status"]!);
        Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.ToString()), "a ProblemDetails has a title");
        return problem;
    }

    /// <summary>Asserts a 400 ProblemDetails whose errors name <paramref name="field"/>.</summary>
    public static async Task<JsonObject> ExpectInvalid(this Task<HttpResponseMessage> call, string field)
    {
        var problem = await call.ExpectProblem(HttpStatusCode.BadRequest);
        var errors = problem["errors"] as JsonObject;
        Assert.True(errors is not null && errors.ContainsKey(field), $"errors should name '{field}': {problem.ToJsonString()}");
        Assert.NotEmpty(errors![field]!.AsArray());
        return problem;
    }

    public static Task<HttpResponseMessage> PostJson(this HttpClient client, string url, string json) =>
        client.PostAsync(url, Json(json), Ct);

    public static Task<HttpResponseMessage> PostJson(this HttpClient client, string url, JsonNode json) =>
        client.PostAsync(url, Json(json), Ct);

    public static async Task<JsonObject> ImportAsync(this HttpClient client, JsonObject definition, bool publish = true,
        HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await client.PostJson($"/api/definitions?publish={(publish ? "true" : "false")}", definition).Expect(expected);
        return await response.ReadObjectAsync();
    }

    public static async Task<JsonObject> StartAsync(this HttpClient client, string definitionId, JsonObject? input = null,
        string? correlationId = null, int? version = null)
    {
        var body = new JsonObject { ["definitionId"] = definitionId };
        if (version is not null) body["version"] = version;
        if (input is not null) body["input"] = input;
        if (correlationId is not null) body["correlationId"] = correlationId;
        var response = await client.PostJson("/api/instances", body).Expect(HttpStatusCode.Created);
        Assert.NotNull(response.Headers.Location);
        return await response.ReadObjectAsync();
    }

    public static async Task<JsonObject> GetInstanceAsync(this HttpClient client, string id) =>
        await (await client.GetAsync($"/api/instances/{id}", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();

    public static string Id(this JsonNode instance) => instance["id"]!.ToString();
    public static string SubStatus(this JsonNode instance) => instance["subStatus"]!.ToString();

    /// <summary>The events of an instance's journal, in order.</summary>
    public static List<string> JournalEvents(this JsonNode instance) =>
        instance["journal"]!.AsArray().Select(j => j!["event"]!.ToString()).ToList();

    public static JsonObject SingleBookmark(this JsonNode instance) =>
        (JsonObject)Assert.Single(instance["bookmarks"]!.AsArray())!;

    /// <summary>
    /// Polls <paramref name="probe"/> until it returns a value: waits for the Host's background work
    /// (timer pump, Hangfire workers), never for time to pass — the tests move their clocks themselves.
    /// </summary>
    public static async Task<T> Eventually<T>(Func<Task<T?>> probe, TimeSpan timeout, Func<string>? diagnostics = null) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } value) return value;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Gave up waiting after {timeout.TotalSeconds}s.{(diagnostics is null ? "" : Environment.NewLine + diagnostics())}");
            await Task.Delay(50, Ct);
        }
    }

    /// <summary>Waits until the instance has <paramref name="subStatus"/> and returns it.</summary>
    public static Task<JsonObject> WaitForAsync(this TestHost host, string instanceId, string subStatus, TimeSpan? timeout = null) =>
        Eventually<JsonObject>(async () =>
        {
            var instance = await host.Client.GetInstanceAsync(instanceId);
            return instance.SubStatus() == subStatus ? instance : null;
        }, timeout ?? TimeSpan.FromSeconds(60), () => string.Join(Environment.NewLine, host.Log));
}
