using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Workflows.Web.Tests.Support;

/// <summary>Calls the Host's API with a session's cookies (what a page would have done before), for test set-up.</summary>
public static class Api
{
    public static async Task<JsonNode?> PostAsync(this Session session, string path, object body)
    {
        var response = await session.Context.APIRequest.PostAsync(path, new APIRequestContextOptions { DataObject = body });
        var text = await response.TextAsync();
        if (!response.Ok) throw new InvalidOperationException($"POST {path}: {response.Status} {text}");
        return string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text);
    }

    public static async Task<JsonNode?> PostJsonAsync(this Session session, string path, string json)
    {
        var response = await session.Context.APIRequest.PostAsync(path, new APIRequestContextOptions
        {
            Data = json,
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" },
        });
        var text = await response.TextAsync();
        if (!response.Ok) throw new InvalidOperationException($"POST {path}: {response.Status} {text}");
        return string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text);
    }

    public static async Task<JsonNode?> GetAsync(this Session session, string path)
    {
        var response = await session.Context.APIRequest.GetAsync(path);
        var text = await response.TextAsync();
        if (!response.Ok) throw new InvalidOperationException($"GET {path}: {response.Status} {text}");
        return JsonNode.Parse(text);
    }

    /// <summary>Whether the Host knows an activity type (the approval activity comes from another part of the system).</summary>
    public static async Task<bool> KnowsActivityAsync(this Session session, string type)
    {
        var json = JsonSerializer.Serialize(new
        {
            definitionId = "probe",
            root = new { id = "r", type = "Elsa.Flowchart", activities = new[] { new { id = "a", type } }, connections = Array.Empty<object>() },
        });
        var report = await session.PostJsonAsync("/api/definitions/validate", json);
        return report?["problems"] is JsonArray problems
               && !problems.Any(p => p?["message"]?.ToString().Contains("Unknown activity type", StringComparison.OrdinalIgnoreCase) == true
                                     || p?["message"]?.ToString().Contains("unknown type", StringComparison.OrdinalIgnoreCase) == true);
    }

    public static string Serialize(object value) => JsonSerializer.Serialize(value);
}
