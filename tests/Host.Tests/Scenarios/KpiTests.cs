using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Workflows.Host.Tests.Support;

namespace Workflows.Host.Tests.Scenarios;

/// <summary>GET /api/kpis beyond the scenarios: overdue tasks with whom they wait on, stages, scopes, and the dashboard's service.</summary>
public sealed class KpiTests : HostTestBase
{
    private readonly SqliteDatabases _databases = new();
    protected override Task<TestDatabase> NewDatabaseAsync() => Task.FromResult(_databases.Create());
    protected override void Cleanup() => _databases.Dispose();

    [Fact]
    public async Task An_agreement_nobody_signs_shows_as_an_overdue_task_and_a_stage_to_those_who_may_see_it()
    {
        var host = await StartHostAsync(time: new FakeTimeProvider(ScenarioKit.At("2026-06-01 09:00")),
            settings: new Dictionary<string, string?> { ["Workflows:LoadDefinitionsOnStart"] = "true" });
        var personnel = await host.ClientForAsync(SignIn.Personnel);
        var started = await personnel.StartAsync("sign-off", new JsonObject { ["teacherId"] = "u-teacher1", ["toSchoolId"] = "school-1-2" });

        // Due in 5 working days (2026-06-08 09:00); a week later it is overdue by 2 days.
        host.Time.SetUtcNow(ScenarioKit.At("2026-06-10 09:00"));
        var kpis = await (await personnel.GetAsync("/api/kpis?year=2026", TestContext.Current.CancellationToken).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        var overdue = (JsonObject)Assert.Single(kpis["overdueTasks"]!.AsArray())!;
        Assert.Equal("u-teacher1", overdue["assigneeId"]!.ToString());
        Assert.Equal("张晓燕", overdue["assigneeName"]!.ToString());
        Assert.Equal("school-1-1", overdue["schoolId"]!.ToString());
        Assert.Equal("签订交流轮岗协议", overdue["stepName"]!.ToString());
        Assert.Equal(2.0, (double)overdue["daysOverdue"]!);
        var stage = (JsonObject)Assert.Single(kpis["stages"]!.AsArray(), s => s!["definitionId"]!.ToString() == "sign-off")!;
        Assert.Equal("三方签订协议", stage["stage"]!.ToString());
        Assert.Equal(1, (int)stage["instances"]!);
        Assert.Equal(1, (int)stage["tasks"]!);
        var school = kpis["schools"]!.AsArray().Single(s => s!["id"]!.ToString() == "school-1-1")!;
        Assert.Equal(1, (int)school["overdueTasks"]!);
        Assert.Null(kpis["county"]!["rotationRatio"]); // no rotation batch yet
        Assert.Equal(1, (int)kpis["definitions"]!.AsArray().Single(d => d!["definitionId"]!.ToString() == "sign-off")!["running"]!);

        // The lead of fed-1 sees it; the lead of fed-2 does not; a teacher may not ask.
        var lead1 = await (await (await host.ClientForAsync(SignIn.Lead1)).GetAsync("/api/kpis", TestContext.Current.CancellationToken)
            .Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Single(lead1["overdueTasks"]!.AsArray());
        Assert.Null(lead1["definitions"]);
        var lead2 = await (await (await host.ClientForAsync("lead2@demo.local")).GetAsync("/api/kpis", TestContext.Current.CancellationToken)
            .Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Equal("fed-2", Assert.Single(lead2["federations"]!.AsArray())!["id"]!.ToString());
        Assert.Empty(lead2["overdueTasks"]!.AsArray());
        Assert.Empty(lead2["stages"]!.AsArray());
        await (await host.ClientForAsync(SignIn.Teacher1)).GetAsync("/api/kpis", TestContext.Current.CancellationToken).ExpectProblem(HttpStatusCode.Forbidden);
        await personnel.GetAsync("/api/kpis?schoolId=fed-1", TestContext.Current.CancellationToken).ExpectInvalid("schoolId");
        await personnel.GetAsync("/api/kpis?federationId=fed-2&schoolId=school-1-1", TestContext.Current.CancellationToken).ExpectInvalid("schoolId");

        // The dashboard reads the same numbers through IKpiService.
        var dashboard = host.Services.GetService(typeof(Features.Dashboard.IKpiService)) as Features.Dashboard.IKpiService;
        Assert.IsType<Features.Kpis.ProcessKpiService>(dashboard);
        var data = await dashboard!.GetAsync(new Features.Dashboard.DashboardQuery(), TestContext.Current.CancellationToken);
        Assert.Equal(["rotation", "backbone", "attendance", "hours"], data.Cards.Select(c => c.Key));
        Assert.Single(data.Overdue);
        Assert.Equal(3, data.Federations.Count);
    }
}
