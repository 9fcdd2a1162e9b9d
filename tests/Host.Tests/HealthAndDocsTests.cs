using System.Net;
using Hangfire;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Host.Tests.Support;

namespace Workflows.Host.Tests;

/// <summary>Health checks, the OpenAPI document, the Hangfire dashboard; and definitions/ loaded on start.</summary>
public abstract class HealthAndDocsTests : HostTestBase
{
    [Fact]
    public async Task Health_OpenAPI_and_the_dashboard_answer()
    {
        var host = await StartHostAsync();
        var client = host.Client;

        await client.GetAsync("/health/live", Ct).Expect(HttpStatusCode.OK);
        var ready = await client.GetAsync("/health/ready", Ct).Expect(HttpStatusCode.OK);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync(Ct));

        var openApi = await (await client.GetAsync("/openapi/v1.json", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        var paths = openApi["paths"]!.AsObject().Select(p => p.Key).ToList();
        foreach (var path in new[] { "/api/instances", "/api/instances/{id}", "/api/definitions", "/api/events/{name}" })
            Assert.Contains(path, paths);
        // The endpoints that answer with definition problems describe them, Chinese sentence included.
        Assert.Contains("messageZh", openApi["paths"]!["/api/definitions/validate"]!["post"]!["description"]!.ToString());
        Assert.Contains("messageZh", openApi["paths"]!["/api/definitions"]!["post"]!["description"]!.ToString());


        // The dashboard is for BureauAdmin only, signed in with the cookie, wherever the request comes from.
        var admin = await host.CookieAsync(SignIn.Admin);
        var signedIn = await host.Server.SendAsync(c => Dashboard(c, IPAddress.Parse("192.0.2.10"), admin), Ct);
        Assert.Equal(200, signedIn.Response.StatusCode);
        Assert.StartsWith("text/html", signedIn.Response.ContentType);
        var local = await host.Server.SendAsync(c => Dashboard(c, IPAddress.Loopback, null), Ct);
        Assert.Equal(401, local.Response.StatusCode);
        var personnelCookie = await host.CookieAsync(SignIn.Personnel);
        var personnel = await host.Server.SendAsync(c => Dashboard(c, IPAddress.Loopback, personnelCookie), Ct);
        Assert.Equal(403, personnel.Response.StatusCode);
    }

    [Fact]
    public async Task Two_hosts_running_side_by_side_keep_their_own_Hangfire_storage_and_job_activator()
    {
        // The first Host resolves its Hangfire services only after the second one has started.
        var a = await StartHostAsync(settings: new Dictionary<string, string?> { ["Hangfire:Server"] = "false" });
        var b = await StartHostAsync();
        await b.Client.GetAsync("/health/ready", Ct).Expect(HttpStatusCode.OK);

        var storageA = a.Services.GetRequiredService<JobStorage>();
        var storageB = b.Services.GetRequiredService<JobStorage>();
        Assert.NotSame(storageA, storageB);
        // A job queued on one Host is not seen by the other.
        var jobId = a.Services.GetRequiredService<IBackgroundJobClient>().Schedule(() => Console.WriteLine("never"), TimeSpan.FromDays(1));
        Assert.NotNull(storageA.GetMonitoringApi().JobDetails(jobId));
        Assert.Null(storageB.GetMonitoringApi().JobDetails(jobId));

        // Jobs run with the services of the Host whose server runs them (its database, its clock).
        foreach (var host in new[] { a, b })
        {
            using var scope = host.Services.GetRequiredService<JobActivator>().BeginScope((JobActivatorContext)null!);
            Assert.Same(host.Time, scope.Resolve(typeof(TimeProvider)));
        }
    }

    [Fact]
    public async Task Definitions_in_the_definitions_folder_are_loaded_on_start()
    {
        var host = await StartHostAsync(settings: new Dictionary<string, string?> { ["Workflows:LoadDefinitionsOnStart"] = "true" });
        var client = host.Client;

        var list = await (await client.GetAsync("/api/definitions", Ct).Expect(HttpStatusCode.OK)).ReadArrayAsync();
        var demo = Assert.Single(list, d => d!["definitionId"]!.ToString() == "event-demo")!;
        Assert.Equal("file", demo["source"]!.ToString());
        Assert.True((bool)demo["isPublished"]!);
        var files = Directory.GetFiles(Path.Combine(Paths.RepoRoot, "definitions"), "*.json");
        Assert.Equal(files.Length, list.Count);

        var started = await client.StartAsync("event-demo", correlationId: "demo-1");
        Assert.Equal("Suspended", started.SubStatus());
        await client.PostJson("/api/events/approved", """{"correlationId": "demo-1", "payload": {"ok": true}}""").Expect(HttpStatusCode.OK);
        Assert.Equal("Finished", (await client.GetInstanceAsync(started.Id())).SubStatus());
    }

    private static void Dashboard(HttpContext context, IPAddress remote, string? cookie)
    {
        if (cookie is not null) context.Request.Headers.Cookie = cookie;
        context.Request.Method = "GET";
        context.Request.Path = "/hangfire";
        context.Connection.RemoteIpAddress = remote;
        context.Connection.LocalIpAddress = IPAddress.Loopback;
    }
}
