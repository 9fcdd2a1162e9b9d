using System.Net;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Host.Tests.Support;

namespace Workflows.Host.Tests.Auth;

/// <summary>
/// Every /api endpoint of the app × every role: allowed (any status but 401/403) or denied (401/403) as designed.
/// The endpoints come from the app's EndpointDataSource, so a new endpoint without a row in <see cref="Matrix"/> fails
/// this test: add a row saying who may call it (and a request that changes nothing, e.g. an invalid body).
/// </summary>
public sealed class AuthorizationMatrixTests : HostTestBase
{
    private readonly SqliteDatabases _databases = new();
    protected override Task<TestDatabase> NewDatabaseAsync() => Task.FromResult(_databases.Create());
    protected override void Cleanup() => _databases.Dispose();

    private const string Anonymous = "anonymous", Teacher = "Teacher", SchoolOffice = "SchoolOffice", Principal = "Principal", Lead = "Lead",
        BureauPersonnel = "BureauPersonnel", BureauAdmin = "BureauAdmin", Designer = "Designer";

    /// <summary>Who plays each role: the demo accounts of school-1-1 / fed-1 / the county.</summary>
    private static readonly Dictionary<string, string?> Accounts = new()
    {
        [Anonymous] = null,
        [Teacher] = SignIn.Teacher1,
        [SchoolOffice] = SignIn.Office1,
        [Principal] = SignIn.Principal1,
        [Lead] = SignIn.Lead1,
        [BureauPersonnel] = SignIn.Personnel,
        [BureauAdmin] = SignIn.Admin, // BureauAdmin + Designer
        [Designer] = SignIn.Designer,
    };

    private static readonly string[] Everyone = [.. Accounts.Keys];
    private static readonly string[] SignedIn = [.. Everyone.Except([Anonymous])];
    private static readonly string[] Staff = [BureauPersonnel, BureauAdmin];
    private static readonly string[] Admins = [BureauAdmin];
    private static readonly string[] Designers = [Designer, BureauAdmin];
    /// <summary>Who sees teacher1's instance (school-1-1, fed-1): the initiator, the school's office and principal, the lead, the bureau.</summary>
    private static readonly string[] SeesTeacher1Instance = [Teacher, SchoolOffice, Principal, Lead, BureauPersonnel, BureauAdmin];

    private sealed record Row(string Path, string? Body, string[] Allowed);

    /// <summary>"METHOD route pattern" → a request and who may make it. {instance} is an instance teacher1 started.</summary>
    private static readonly Dictionary<string, Row> Matrix = new()
    {
        ["POST /api/auth/sign-in"] = new("/api/auth/sign-in", "{}", Everyone),
        ["POST /api/auth/sign-out"] = new("/api/auth/sign-out", null, Everyone),
        ["POST /api/auth/link"] = new("/api/auth/link", """{"email": "nobody@demo.local"}""", Everyone),
        ["GET /api/auth/link/{token}"] = new("/api/auth/link/not-a-token", null, Everyone),
        ["GET /api/me"] = new("/api/me", null, SignedIn),

        ["GET /api/org/units"] = new("/api/org/units", null, Staff),
        ["GET /api/org/users"] = new("/api/org/users?schoolId=school-1-1", null, Staff),
        ["GET /api/org/users/{id}"] = new("/api/org/users/u-teacher2", null, Staff),
        ["POST /api/org/users"] = new("/api/org/users", "{}", Admins),
        ["PUT /api/org/users/{id}"] = new("/api/org/users/u-teacher2", "{}", Admins), // an empty body changes nothing
        ["POST /api/org/users/{id}/roles"] = new("/api/org/users/u-teacher2/roles", "{}", Admins),
        ["DELETE /api/org/users/{id}/roles/{assignmentId:long}"] = new("/api/org/users/u-teacher2/roles/999999", null, Admins),
        ["POST /api/org/users/{id}/password"] = new("/api/org/users/u-teacher2/password", "{}", Admins),
        ["POST /api/org/import"] = new("/api/org/import?dryRun=true", "{}", Admins),
        ["GET /api/org/export"] = new("/api/org/export", null, Admins),

        ["GET /api/definitions/"] = new("/api/definitions", null, SignedIn),
        ["POST /api/definitions/"] = new("/api/definitions", "{}", Designers),
        ["POST /api/definitions/validate"] = new("/api/definitions/validate", "{}", Designers),
        ["GET /api/definitions/{definitionId}"] = new("/api/definitions/event-wait", null, SignedIn),
        ["GET /api/definitions/{definitionId}/versions"] = new("/api/definitions/event-wait/versions", null, SignedIn),
        ["GET /api/definitions/{definitionId}/versions/{version:int}"] = new("/api/definitions/event-wait/versions/1", null, SignedIn),
        ["POST /api/definitions/{definitionId}/versions/{version:int}/publish"] = new("/api/definitions/event-wait/versions/99/publish", null, Designers),
        ["GET /api/definitions/{definitionId}/graph"] = new("/api/definitions/event-wait/graph", null, SignedIn),

        ["POST /api/instances/"] = new("/api/instances", """{"definitionId": "no-such-definition"}""", SignedIn),
        ["GET /api/instances/"] = new("/api/instances", null, SignedIn),
        ["GET /api/instances/{id}"] = new("/api/instances/{instance}", null, SeesTeacher1Instance),
        ["POST /api/instances/{id}/cancel"] = new("/api/instances/no-such-instance/cancel", "{}", Staff),
        ["POST /api/instances/{id}/retry"] = new("/api/instances/no-such-instance/retry", null, Staff),
        ["POST /api/instances/{id}/move"] = new("/api/instances/no-such-instance/move", "{}", Staff),
        ["POST /api/instances/{id}/bookmarks/{bookmarkId}/resume"] = new("/api/instances/no-such-instance/bookmarks/b/resume", "{}", Staff),

        ["POST /api/events/{name}"] = new("/api/events/matrix-nobody-waits", "{}", Staff),

        // Tasks and requests are per person: anyone signed in, each sees only their own (checked in the handlers).
        ["GET /api/tasks/"] = new("/api/tasks", null, SignedIn),
        ["GET /api/tasks/{id}"] = new("/api/tasks/no-such-task", null, SignedIn),
        ["POST /api/tasks/{id}/actions"] = new("/api/tasks/no-such-task/actions", """{"action": "approve"}""", SignedIn),
        // Reassigning (改派) someone else's task is for bureau staff only.
        ["POST /api/tasks/{id}/reassign"] = new("/api/tasks/no-such-task/reassign", """{"userId": "u-teacher2"}""", Staff),
        ["GET /api/requests/"] = new("/api/requests", null, SignedIn),
        // Only the initiator urges or withdraws teacher1's instance (nothing waits for a person in it: urging is a 409).
        ["POST /api/requests/{id}/withdraw"] = new("/api/requests/{instance}/withdraw", null, [Teacher]),
        ["POST /api/requests/{id}/urge"] = new("/api/requests/{instance}/urge", null, [Teacher]),

        // Processes: the bureau starts batches; people apply, see notices and object; the public reads and objects anonymously.
        ["POST /api/processes/rotation/start"] = new("/api/processes/rotation/start", "not json", Staff),
        ["POST /api/processes/summer-training/start"] = new("/api/processes/summer-training/start", "not json", Staff),
        ["POST /api/processes/rotation/{instanceId}/applications"] = new("/api/processes/rotation/no-such-batch/applications", null, SignedIn),
        ["GET /api/publicity/{noticeId}"] = new("/api/publicity/no-such-notice", null, SignedIn),
        ["POST /api/publicity/{noticeId}/objections"] = new("/api/publicity/no-such-notice/objections", "{}", SignedIn),
        ["GET /api/public/publicity/{noticeId}"] = new("/api/public/publicity/no-such-notice", null, Everyone),
        ["POST /api/public/publicity/{noticeId}/objections"] = new("/api/public/publicity/no-such-notice/objections", "{}", Everyone),
        // KPIs: the bureau everything, a Lead their federation, a Principal their school; nobody else.
        ["GET /api/kpis"] = new("/api/kpis", null, [Principal, Lead, BureauPersonnel, BureauAdmin]),
    };

    [Fact]
    public async Task Every_api_endpoint_allows_and_denies_each_role_as_designed()
    {
        var host = await StartHostAsync();

        // Every endpoint has a row, and every row an endpoint.
        var endpoints = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.OrdinalIgnoreCase) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        var missing = endpoints.Where(e => !Matrix.ContainsKey(e)).ToList();
        var stale = Matrix.Keys.Where(k => !endpoints.Contains(k)).ToList();
        Assert.True(missing.Count == 0 && stale.Count == 0,
            $"The authorization matrix is out of date.\nEndpoints without a row (add one):\n  {string.Join("\n  ", missing)}"
            + $"\nRows without an endpoint (remove or rename):\n  {string.Join("\n  ", stale)}");

        await host.Client.ImportAsync(HostApi.Workflow("event-wait.json"));
        var teacher = await host.ClientForAsync(SignIn.Teacher1);
        var instance = (await teacher.StartAsync("event-wait")).Id();

        var cookies = new Dictionary<string, string?>();
        foreach (var (role, email) in Accounts) cookies[role] = email is null ? null : await host.CookieAsync(email);

        var wrong = new StringBuilder();
        var checkedCount = 0;
        using var client = host.Server.CreateClient(); // no cookie container: each request carries its role's cookie
        foreach (var (key, row) in Matrix.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var method = new HttpMethod(key.Split(' ')[0]);
            foreach (var role in Everyone)
            {
                using var request = new HttpRequestMessage(method, row.Path.Replace("{instance}", instance));
                if (row.Body is not null) request.Content = HostApi.Json(row.Body);
                if (cookies[role] is { } cookie) request.Headers.Add("Cookie", cookie);
                using var response = await client.SendAsync(request, Ct);
                var status = (int)response.StatusCode;
                var denied = status is 401 or 403;
                var shouldBeAllowed = row.Allowed.Contains(role);
                if (denied == shouldBeAllowed)
                    wrong.AppendLine($"{key} as {role}: {status} ({(shouldBeAllowed ? "should be allowed" : "should be denied")})");
                else if (denied && status != (role == Anonymous ? 401 : 403))
                    wrong.AppendLine($"{key} as {role}: {status} (a denial is 401 without a sign-in, 403 with one)");
                if (denied && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    wrong.AppendLine($"{key} as {role}: {status} is not a ProblemDetails");
                checkedCount++;
            }
        }
        Assert.True(wrong.Length == 0, $"{wrong}\n{string.Join("\n", host.Log)}");
        Assert.Equal(Matrix.Count * Everyone.Length, checkedCount);
    }

    [Fact]
    public async Task The_dashboard_and_the_API_reference_are_for_BureauAdmin_only()
    {
        var host = await StartHostAsync();
        using var client = host.Server.CreateClient();
        foreach (var path in new[] { "/hangfire", "/scalar", "/openapi/v1.json" })
        {
            foreach (var (email, expected) in new (string?, int)[] { (null, 401), (SignIn.Personnel, 403), (SignIn.Designer, 403), (SignIn.Admin, 200) })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                if (email is not null) request.Headers.Add("Cookie", await host.CookieAsync(email));
                using var response = await client.SendAsync(request, Ct);
                var status = (int)response.StatusCode;
                Assert.True(expected == 200 ? status is >= 200 and < 400 : status == expected,
                    $"{path} as {email ?? "anonymous"}: {status}, expected {(expected == 200 ? "success" : expected)}");
            }
        }
    }
}
