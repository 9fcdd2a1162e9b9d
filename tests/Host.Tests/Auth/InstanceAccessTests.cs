using System.Net;
using Microsoft.EntityFrameworkCore;
using Workflows.Host.Tests.Support;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Tests.Auth;

/// <summary>Who sees which instance: the initiator, people with a task in it, their school's and federation's heads, the bureau.</summary>
public abstract class InstanceAccessTests : HostTestBase
{
    [Fact]
    public async Task Each_role_sees_the_instances_of_its_place_and_a_teacher_only_their_own()
    {
        var host = await StartHostAsync();
        await host.Client.ImportAsync(HostApi.Workflow("event-wait.json"));

        string fed2Teacher;
        await using (var db = host.OpenDb())
            fed2Teacher = await db.Users.Where(u => u.SchoolId == "school-2-1" && u.Id.StartsWith("u-teacher")).OrderBy(u => u.Id).Select(u => u.Email).FirstAsync(Ct);

        var teacher1 = await host.ClientForAsync(SignIn.Teacher1);
        var teacher2 = await host.ClientForAsync(SignIn.Teacher2);
        var other = await host.ClientForAsync(fed2Teacher);
        var a = (await teacher1.StartAsync("event-wait")).Id();
        var b = (await teacher2.StartAsync("event-wait")).Id();
        var c = (await other.StartAsync("event-wait")).Id();
        await using (var db = host.OpenDb())
            Assert.Equal("u-teacher1", (await db.Instances.SingleAsync(i => i.Id == a, Ct)).InitiatorId);

        // A teacher cannot read another teacher's instance, even at the same school.
        await teacher1.GetAsync($"/api/instances/{a}", Ct).Expect(HttpStatusCode.OK);
        var denied = await teacher1.GetAsync($"/api/instances/{b}", Ct).ExpectProblem(HttpStatusCode.Forbidden);
        Assert.DoesNotContain("event-wait", denied.ToJsonString());
        await teacher1.GetAsync($"/api/instances/{c}", Ct).ExpectProblem(HttpStatusCode.Forbidden);
        await teacher1.GetAsync("/api/instances/nope", Ct).ExpectProblem(HttpStatusCode.NotFound);

        var expected = new Dictionary<string, string[]>
        {
            [SignIn.Teacher1] = [a],
            [SignIn.Teacher2] = [b],
            [fed2Teacher] = [c],
            [SignIn.Principal1] = [a, b],
            [SignIn.Office1] = [a, b],
            [SignIn.Lead1] = [a, b],
            ["lead2@demo.local"] = [c],
            ["principal5@demo.local"] = [c], // school-2-1
            ["principal2@demo.local"] = [],  // school-1-2: same federation, another school
            [SignIn.Designer] = [],
            [SignIn.Personnel] = [a, b, c],
            [SignIn.Admin] = [a, b, c],
        };
        foreach (var (email, ids) in expected)
        {
            var client = await host.ClientForAsync(email);
            var list = await (await client.GetAsync("/api/instances", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
            Assert.Equal(ids.Order().ToArray(), list["items"]!.AsArray().Select(i => i!["id"]!.ToString()).Order().ToArray());
            Assert.Equal(ids.Length, (int)list["total"]!);
            foreach (var id in new[] { a, b, c })
                await client.GetAsync($"/api/instances/{id}", Ct).Expect(ids.Contains(id) ? HttpStatusCode.OK : HttpStatusCode.Forbidden);
        }

        // A task in an instance makes it visible to its assignee.
        await using (var db = host.OpenDb())
        {
            db.Tasks.Add(new HumanTask
            {
                Id = "task-c", InstanceId = c, DefinitionId = "event-wait", ActivityId = "wait", StepName = "审核", AssigneeId = "u-teacher2",
                InitiatorId = null, CreatedAt = TestHost.T0,
            });
            await db.SaveChangesAsync(Ct);
        }
        await teacher2.GetAsync($"/api/instances/{c}", Ct).Expect(HttpStatusCode.OK);
        var list2 = await (await teacher2.GetAsync("/api/instances", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Equal(new[] { b, c }.Order(), list2["items"]!.AsArray().Select(i => i!["id"]!.ToString()).Order());

        // Operating on instances is for the bureau, not for the initiator.
        await teacher1.PostJson($"/api/instances/{a}/cancel", "{}").ExpectProblem(HttpStatusCode.Forbidden);
        var personnel = await host.ClientForAsync(SignIn.Personnel);
        await personnel.PostJson($"/api/instances/{a}/cancel", """{"reason": "test"}""").Expect(HttpStatusCode.OK);
    }
}
