using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Workflows.Host.Tests.Support;

namespace Workflows.Host.Tests.Tasks;

/// <summary>Approval definitions for the inbox tests, built as Elsa JSON, and lookups in the demo organisation.</summary>
internal static class ApprovalFlows
{
    public static JsonObject Input(string type, object value) => new()
    {
        ["typeName"] = type,
        ["expression"] = new JsonObject { ["type"] = value is string ? "Literal" : "Object", ["value"] = value is string s ? s : JsonValue.Create(((JsonNode)value).ToJsonString()) },
    };

    public static JsonObject Step(string id, string name, string mode, JsonArray assignees, JsonObject? extra = null)
    {
        var step = new JsonObject
        {
            ["id"] = id, ["type"] = "Workflows.Approval",
            ["stepName"] = Input("String", name), ["mode"] = Input("String", mode),
            ["assignees"] = Input("Object", assignees),
        };
        foreach (var (k, v) in extra ?? []) step[k] = v?.DeepClone();
        return step;
    }

    public static JsonObject Connection(string from, string port, string to) => new()
    {
        ["source"] = new JsonObject { ["activity"] = from, ["port"] = port },
        ["target"] = new JsonObject { ["activity"] = to, ["port"] = "In" },
    };

    /// <summary>Steps in a row: each Approved leads to the next, anything else ends the flow.</summary>
    public static JsonObject Chain(string definitionId, string name, params JsonObject[] steps)
    {
        var activities = new JsonArray { new JsonObject { ["id"] = "start", ["type"] = "Elsa.Start" } };
        var connections = new JsonArray();
        var previous = "start";
        var port = "Done";
        foreach (var step in steps)
        {
            activities.Add(step);
            connections.Add(Connection(previous, port, step["id"]!.ToString()));
            previous = step["id"]!.ToString();
            port = step["type"]!.ToString() == "Workflows.Approval" ? "Approved" : "Done";
        }
        activities.Add(new JsonObject { ["id"] = "end", ["type"] = "Elsa.End" });
        connections.Add(Connection(previous, port, "end"));
        return new JsonObject
        {
            ["definitionId"] = definitionId, ["name"] = name, ["version"] = 1,
            ["root"] = new JsonObject { ["id"] = "flow", ["type"] = "Elsa.Flowchart", ["activities"] = activities, ["connections"] = connections },
        };
    }

    public static JsonArray Users(params string[] ids) => [new JsonObject { ["type"] = "users", ["users"] = new JsonArray([.. ids.Select(i => (JsonNode?)i)]) }];

    public static async Task<string> UserIdAsync(TestHost host, string email)
    {
        await using var db = host.OpenDb();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync(HostApi.Ct);
    }

    public static async Task<List<(string Id, string Email)>> PrincipalsAsync(TestHost host, int count)
    {
        await using var db = host.OpenDb();
        return (await db.RoleAssignments.Where(r => r.Role == "Principal").OrderBy(r => r.ScopeId)
                .Join(db.Users, r => r.UserId, u => u.Id, (r, u) => new { u.Id, u.Email }).Take(count).ToListAsync(HostApi.Ct))
            .Select(x => (x.Id, x.Email)).ToList();
    }

    public static async Task<List<(string Id, string Email)>> TeachersAsync(TestHost host, int count, int skip = 10)
    {
        await using var db = host.OpenDb();
        return (await db.RoleAssignments.Where(r => r.Role == "Teacher").OrderBy(r => r.UserId)
                .Join(db.Users, r => r.UserId, u => u.Id, (r, u) => new { u.Id, u.Email }).Skip(skip).Take(count).ToListAsync(HostApi.Ct))
            .Select(x => (x.Id, x.Email)).ToList();
    }

    /// <summary>The pending tasks of the signed-in user of <paramref name="client"/>.</summary>
    public static async Task<JsonArray> PendingAsync(HttpClient client, string status = "pending")
    {
        var response = await client.GetAsync($"/api/tasks?status={status}", HostApi.Ct).Expect(System.Net.HttpStatusCode.OK);
        return (await response.ReadObjectAsync())["items"]!.AsArray();
    }
}
