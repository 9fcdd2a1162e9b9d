using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Workflows.Host.Tests.Support;
using Workflows.Persistence.Entities;
using Workflows.Testing;
using static Workflows.Host.Tests.Scenarios.ScenarioKit;

namespace Workflows.Host.Tests.Scenarios;

/// <summary>
/// A 2026 rotation batch (交流轮岗) of 城关教联体 through the API: eligibility from the roster with one exemption,
/// school recommendations and one teacher's own application, one teacher declining, the approvals, the placing by the
/// federation lead; the publicity with one objection upheld (that nominee withdrawn) and one dismissed after the window;
/// the three-party agreement with one refusal handled by the bureau; everyone reporting for duty; the one-year
/// assessment. Then the final states, the KPIs (≥ 10% of the eligible rotate, ≥ 20% of them backbone), the mail and
/// the journal.
/// </summary>
public sealed class RotationScenario : HostTestBase
{
    private readonly SqliteDatabases _databases = new();
    protected override Task<TestDatabase> NewDatabaseAsync() => Task.FromResult(_databases.Create());
    protected override void Cleanup() => _databases.Dispose();

    private const string Federation = "fed-1";
    private static readonly string[] Schools = ["school-1-1", "school-1-2", "school-1-3", "school-1-4"];

    [Fact]
    public async Task A_2026_rotation_batch_meets_its_quota_through_objections_a_refusal_and_reporting_for_duty()
    {
        await using var smtp = await SmtpServer.StartNewAsync();
        var host = await StartHostAsync(time: new FakeTimeProvider(At("2026-06-01 09:00")), settings: Settings(smtp));
        var kit = new ScenarioKit(host, smtp);
        var actions = 0;
        async Task Act(string email, JsonObject task, string action, JsonObject? fields = null)
        {
            await kit.ActAsync(email, task, action, fields);
            actions++;
        }
        var principal = new Dictionary<string, string>();
        var office = new Dictionary<string, string>();
        foreach (var s in Schools)
        {
            principal[s] = await kit.HolderAsync("Principal", s);
            office[s] = await kit.HolderAsync("SchoolOffice", s);
        }

        // Who is eligible: ≥ 6 consecutive years at the current school, from the roster; one is exempted.
        var today = new DateOnly(2026, 6, 1);
        var teachers = await kit.TeachersOfAsync(Schools);
        var eligibleByRoster = teachers.Where(t => t.JoinedSchoolOn <= today.AddYears(-6)).ToList();
        var exempt = eligibleByRoster.First(t => !t.IsBackbone);
        var personnel = await kit.As(SignIn.Personnel);
        await personnel.PostJson("/api/processes/rotation/start", """{"federationId": "fed-9"}""").ExpectInvalid("federationId");
        await personnel.PostJson("/api/processes/rotation/start",
            new JsonObject { ["federationId"] = Federation, ["exemptions"] = new JsonArray(new JsonObject { ["teacherId"] = exempt.Id }) })
            .ExpectInvalid("exemptions[0].reason");
        await (await kit.As(principal[Schools[0]])).PostJson("/api/processes/rotation/start", "{}").ExpectProblem(HttpStatusCode.Forbidden);
        var started = await (await personnel.PostJson("/api/processes/rotation/start", new JsonObject
        {
            ["year"] = 2026, ["federationId"] = Federation, ["reportBy"] = "2026-08-31", ["reportDueWorkingDays"] = 60,
            ["assessmentAt"] = "2027-07-01T09:00:00+08:00", ["accessCode"] = "135790",
            ["exemptions"] = new JsonArray(new JsonObject { ["teacherId"] = exempt.Id, ["reason"] = "哺乳期，按规定暂缓交流" }),
        }).Expect(HttpStatusCode.Created)).ReadObjectAsync();
        var id = started["id"]!.ToString();
        var eligibleCount = eligibleByRoster.Count - 1;
        Assert.Equal(eligibleCount, (int)started["eligible"]!);
        var quota = (int)Math.Ceiling(eligibleCount * 0.10);
        Assert.Equal(quota, (int)started["quota"]!);
        var variables = await kit.Variables(id);
        Assert.Equal(exempt.Id, Assert.Single(variables["Exempted"]!.AsArray())!["id"]!.ToString());
        Assert.DoesNotContain(variables["Eligible"]!.AsArray(), e => e!["id"]!.ToString() == exempt.Id);

        // The cast: quota teachers will rotate, at least a fifth of them backbone teachers; two more drop out.
        var eligible = eligibleByRoster.Where(t => t.Id != exempt.Id && eligibleByRoster.Count(o => o.Name == t.Name) == 1).ToList();
        var backbone = eligible.Where(t => t.IsBackbone).Take(Math.Max(1, (int)Math.Ceiling(quota * 0.2))).ToList();
        var others = eligible.Where(t => !t.IsBackbone).ToList();
        var applicant = others[0];            // applies on their own
        var decliner = others[1];             // recommended, says no
        var withdrawn = others[2];            // an objection against them is upheld
        var objected = others[3];             // an objection against them is dismissed
        var refuser = others[4];              // their sending principal first refuses to sign
        var rotating = backbone.Concat([applicant, objected, refuser]).Concat(others.Skip(5)).Take(quota).ToList();
        Assert.Equal(quota, rotating.Count);
        var recommended = rotating.Where(t => t != applicant).Concat([decliner, withdrawn]).ToList();
        var candidates = recommended.Append(applicant).ToList();
        string Who(UserRecord t) => $"{t.Name}（{t.EmployeeNo}）";
        string ToSchool(UserRecord t) => Schools[(Array.IndexOf(Schools, t.SchoolId) + 1) % Schools.Length];

        // A teacher applies while the schools recommend; an ineligible one cannot, nor can anyone twice.
        var applicantClient = await kit.As(applicant.Email);
        await applicantClient.PostJson($"/api/processes/rotation/{id}/applications", """{"reason": "希望到薄弱学校锻炼"}""").Expect(HttpStatusCode.OK);
        await applicantClient.PostJson($"/api/processes/rotation/{id}/applications", "{}").ExpectProblem(HttpStatusCode.Conflict);
        var junior = teachers.First(t => t.JoinedSchoolOn > today.AddYears(-6));
        await (await kit.As(junior.Email)).PostJson($"/api/processes/rotation/{id}/applications", "{}").ExpectProblem(HttpStatusCode.Forbidden);
        foreach (var s in Schools)
        {
            var task = Assert.Single(await kit.WaitForTasksAsync(office[s], "推荐交流轮岗人选："));
            var mine = recommended.Where(t => t.SchoolId == s).Select(t => t.EmployeeNo);
            await Act(office[s], task, "approve", new JsonObject { ["recommended"] = string.Join("，", mine) });
        }
        await applicantClient.PostJson($"/api/processes/rotation/{id}/applications", "{}").ExpectProblem(HttpStatusCode.Conflict); // closed
        Assert.Equal(candidates.Count, (await kit.Variables(id))["Candidates"]!.AsArray().Count);

        // Each candidate: confirms (not the applicant), the principal approves, the lead places, the bureau approves.
        foreach (var t in recommended)
            await Act(t.Email, await kit.TaskAsync(t.Email, $"确认参加交流轮岗：{Who(t)}"), t == decliner ? "reject" : "approve");
        foreach (var t in candidates.Where(c => c != decliner))
            await Act(principal[t.SchoolId!], await kit.TaskAsync(principal[t.SchoolId!], $"校长审核交流人选：{Who(t)}"), "approve");
        foreach (var t in candidates.Where(c => c != decliner))
        {
            var task = await kit.TaskAsync(SignIn.Lead1, $"确定接收学校：{Who(t)}");
            var lead = await kit.As(SignIn.Lead1);
            await lead.PostJson($"/api/tasks/{task["id"]}/actions", new JsonObject
            {
                ["action"] = "approve", ["fields"] = new JsonObject { ["toSchoolId"] = t.SchoolId },
            }).ExpectInvalid("fields.toSchoolId"); // not the school they come from
            await Act(SignIn.Lead1, task, "approve", new JsonObject { ["toSchoolId"] = ToSchool(t) });
        }
        foreach (var t in candidates.Where(c => c != decliner))
            await Act(SignIn.Personnel, await kit.TaskAsync(SignIn.Personnel, $"人事股审批交流人选：{Who(t)}"), "approve");

        // 公示: five working days; the public reads it with the access code.
        var notice = (await HostApi.Eventually<JsonObject>(async () => (await kit.Variables(id))["Notice"] as JsonObject, TimeSpan.FromSeconds(30)));
        var noticeId = notice["id"]!.ToString();
        Assert.Equal(At("2026-06-06 00:00"), DateTimeOffset.Parse(notice["windowEnd"]!.ToString()));
        var anonymous = host.CreateClient();
        await anonymous.GetAsync($"/api/public/publicity/{noticeId}", Ct).ExpectInvalid("code");
        await anonymous.GetAsync($"/api/public/publicity/{noticeId}?code=000000", Ct).ExpectProblem(HttpStatusCode.Forbidden);
        var published = await (await anonymous.GetAsync($"/api/public/publicity/{noticeId}?code=135790", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Equal(quota + 1, published["nominees"]!.AsArray().Count);
        Assert.Equal("2026-06-05", published["lastDay"]!.ToString());
        Assert.Null(published["accessCode"]);

        // Objections: a bad one changes nothing; a colleague's (signed in) and a citizen's (anonymous, with an email).
        var journalBefore = (await kit.InstanceAsync(id))["journal"]!.AsArray().Count;
        var bad = await anonymous.PostJson($"/api/public/publicity/{noticeId}/objections",
            new JsonObject { ["code"] = "135790", ["objectorName"] = "某群众", ["nomineeId"] = withdrawn.Id }).ExpectInvalid("facts");
        Assert.True(bad["errors"]!.AsObject().ContainsKey("objectorPhone"));
        await anonymous.PostJson($"/api/public/publicity/{noticeId}/objections", new JsonObject
        {
            ["code"] = "1", ["objectorName"] = "某群众", ["objectorPhone"] = "13900000000", ["nomineeId"] = withdrawn.Id, ["facts"] = "事实",
        }).ExpectProblem(HttpStatusCode.Forbidden);
        Assert.Equal(journalBefore, (await kit.InstanceAsync(id))["journal"]!.AsArray().Count);
        var colleague = teachers.First(t => t.SchoolId == withdrawn.SchoolId && candidates.All(c => c.Id != t.Id) && t.Id != exempt.Id);
        await (await kit.As(colleague.Email)).PostJson($"/api/publicity/{noticeId}/objections", new JsonObject
        {
            ["nomineeId"] = withdrawn.Id, ["facts"] = "该教师2021年曾调动过学校，在本校连续任教不满六年。",
        }).Expect(HttpStatusCode.Created);
        await anonymous.PostJson($"/api/public/publicity/{noticeId}/objections", new JsonObject
        {
            ["code"] = "135790", ["objectorName"] = "王某", ["objectorEmail"] = "citizen@example.org", ["nomineeId"] = objected.Id,
            ["facts"] = "听说该教师不愿意去接收学校。", ["attachments"] = new JsonArray("说明.docx"),
        }).Expect(HttpStatusCode.Created);
        var investigations = await kit.WaitForTasksAsync(SignIn.Personnel, "异议核查", 2);
        var tasksByNominee = new Dictionary<string, JsonObject>();
        foreach (var task in investigations)
        {
            var detail = await (await personnel.GetAsync($"/api/tasks/{task["id"]}", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
            Assert.Equal(["approve", "reject", "comment"], detail["actions"]!.AsArray().Select(a => a!.ToString()));
            using var db = host.OpenDb();
            var payload = JsonNode.Parse(db.Tasks.Single(x => x.Id == task["id"]!.ToString()).PayloadJson!)!;
            tasksByNominee[payload["publicity"]!["nomineeId"]!.ToString()] = task;
        }
        await personnel.PostJson($"/api/tasks/{tasksByNominee[withdrawn.Id]["id"]}/actions", """{"action": "approve"}""").ExpectInvalid("fields.finding");
        await Act(SignIn.Personnel, tasksByNominee[withdrawn.Id], "approve", new JsonObject { ["finding"] = "经查人事档案，情况属实，取消其交流资格。" });

        // The window ends with the citizen's objection still open: the notice waits for it, and takes no more.
        await kit.AdvanceToAsync(At("2026-06-06 00:01"));
        var reviewing = await (await personnel.GetAsync($"/api/publicity/{noticeId}", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Equal("reviewing", reviewing["status"]!.ToString());
        Assert.Equal("135790", reviewing["accessCode"]!.ToString()); // bureau staff see the code
        await anonymous.PostJson($"/api/public/publicity/{noticeId}/objections", new JsonObject
        {
            ["code"] = "135790", ["objectorName"] = "迟到者", ["objectorPhone"] = "13900000001", ["nomineeId"] = objected.Id, ["facts"] = "补充意见",
        }).ExpectProblem(HttpStatusCode.Conflict);
        await Act(SignIn.Personnel, tasksByNominee[objected.Id], "reject", new JsonObject { ["finding"] = "经与本人核实，本人同意交流，异议不成立。" });

        // The agreement: teacher, sending principal, receiving principal in turn; one refusal, handled by the bureau.
        foreach (var t in rotating)
        {
            var step = $"签订交流轮岗协议：{Who(t)}";
            await Act(t.Email, await kit.TaskAsync(t.Email, step), "approve");
            if (t == refuser)
            {
                await Act(principal[t.SchoolId!], await kit.TaskAsync(principal[t.SchoolId!], step), "reject");
                await Act(SignIn.Personnel, await kit.TaskAsync(SignIn.Personnel, $"拒签处理：{Who(t)}"), "approve",
                    new JsonObject { ["handling"] = "已与派出学校沟通，同意重新签约。" });
                await Act(t.Email, await kit.TaskAsync(t.Email, step), "approve");
            }
            await Act(principal[t.SchoolId!], await kit.TaskAsync(principal[t.SchoolId!], step), "approve");
            await Act(principal[ToSchool(t)], await kit.TaskAsync(principal[ToSchool(t)], step), "approve");
        }

        // Reporting for duty by 31 August: the receiving schools are reminded, then confirm.
        await kit.AdvanceToAsync(At("2026-08-28 09:00"));
        foreach (var t in rotating)
            await Act(principal[ToSchool(t)], await kit.TaskAsync(principal[ToSchool(t)], $"到岗确认：{Who(t)}"), "approve",
                new JsonObject { ["reportedOn"] = "2026-08-28" });

        // A year later the receiving schools assess; that closes the batch.
        await kit.AdvanceToAsync(At("2027-07-01 09:01"));
        foreach (var t in rotating)
            await Act(principal[ToSchool(t)], await kit.TaskAsync(principal[ToSchool(t)], $"交流期满考核：{Who(t)}"), "approve",
                new JsonObject { ["assessment"] = "合格", ["assessmentComment"] = "完成交流任务" });
        var finished = await host.WaitForAsync(id, "Finished", TimeSpan.FromSeconds(60));

        // Final states.
        var cases = finished["variables"]!["Cases"]!.AsObject();
        Assert.Equal(candidates.Count, cases.Count);
        Assert.Equal("declined", cases[decliner.Id]!["status"]!.ToString());
        Assert.Equal("withdrawn", cases[withdrawn.Id]!["status"]!.ToString());
        Assert.All(rotating, t => Assert.Equal("assessed", cases[t.Id]!["status"]!.ToString()));
        Assert.All(rotating, t => Assert.Equal(ToSchool(t), cases[t.Id]!["toSchoolId"]!.ToString()));
        Assert.All(rotating, t => Assert.False((bool)cases[t.Id]!["late"]!));
        Assert.Equal("applied", cases[applicant.Id]!["source"]!.ToString());
        var rotatingIds = finished["variables"]!["Rotating"]!.AsArray().Select(r => r!["id"]!.ToString()).Order().ToList();
        Assert.Equal(rotating.Select(t => t.Id).Order(), rotatingIds);
        Assert.Equal(withdrawn.Id, Assert.Single(finished["variables"]!["Withdrawn"]!.AsArray())!["id"]!.ToString());
        var closed = await (await anonymous.GetAsync($"/api/public/publicity/{noticeId}?code=135790", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Equal("closed", closed["status"]!.ToString());
        Assert.True((bool)closed["nominees"]!.AsArray().Single(n => n!["id"]!.ToString() == withdrawn.Id)!["withdrawn"]!);

        // KPIs: at least 10% of the eligible rotate, at least 20% of them backbone teachers.
        var kpis = await (await personnel.GetAsync("/api/kpis?year=2026", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        var county = kpis["county"]!;
        Assert.Equal(eligibleCount, (int)county["eligible"]!);
        Assert.Equal(quota, (int)county["rotating"]!);
        Assert.Equal(Math.Round((double)quota / eligibleCount, 4), (double)county["rotationRatio"]!);
        Assert.True((bool)county["rotationMet"]!);
        Assert.Equal(rotating.Count(t => t.IsBackbone), (int)county["backboneRotating"]!);
        Assert.True((bool)county["backboneMet"]!);
        var leadView = await (await (await kit.As(SignIn.Lead1)).GetAsync("/api/kpis?year=2026", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Null(leadView["county"]);
        var fed = Assert.Single(leadView["federations"]!.AsArray())!;
        Assert.Equal(Federation, fed["id"]!.ToString());
        Assert.Equal(quota, (int)fed["rotating"]!);
        Assert.Equal(Schools.Length, leadView["schools"]!.AsArray().Count);
        await (await kit.As(SignIn.Lead1)).GetAsync("/api/kpis?federationId=fed-2", Ct).ExpectProblem(HttpStatusCode.Forbidden);
        await personnel.GetAsync("/api/kpis?year=20x6", Ct).ExpectInvalid("year");

        // Who received which email.
        var mail = await kit.MailAsync();
        Assert.All(eligible, t => Assert.Contains(mail, m => To(m, t.Email) && m.Subject == "【通知】2026年城关教联体教师交流轮岗工作启动"));
        Assert.DoesNotContain(mail, m => To(m, exempt.Email) && m.Subject.Contains("交流轮岗工作启动"));
        Assert.All(Schools, s => Assert.Contains(mail, m => To(m, principal[s]) && m.Subject.StartsWith("【通知】【公示】2026年城关教联体教师交流轮岗拟交流人员名单", StringComparison.Ordinal)));
        Assert.Equal(2, mail.Count(m => To(m, SignIn.Personnel) && m.Subject.Contains("【待审批】") && m.Subject.Contains("异议核查")));
        Assert.Contains(mail, m => To(m, colleague.Email) && m.Subject == "【通知】异议处理结果：2026年城关教联体教师交流轮岗拟交流人员名单");
        var citizen = Assert.Single(mail, m => To(m, "citizen@example.org"));
        Assert.Equal("异议处理结果：2026年城关教联体教师交流轮岗拟交流人员名单", citizen.Subject);
        Assert.Contains("异议不成立", citizen.TextBody);
        Assert.Contains(mail, m => To(m, SignIn.Personnel) && m.Subject.Contains($"拒签处理：{Who(refuser)}"));
        Assert.All(rotating, t => Assert.Contains(mail, m => To(m, principal[ToSchool(t)]) && m.Subject.Contains("【催办】") && m.Subject.Contains($"到岗确认：{Who(t)}")));
        Assert.Contains(mail, m => To(m, SignIn.Personnel) && m.Subject == "【通知】2026年城关教联体交流轮岗工作已完成");

        // The journal has an entry for every action.
        var journal = finished["journal"]!.AsArray().Select(j => j!["event"]!.ToString()).ToList();
        Assert.Equal(actions, journal.Count(e => e == "TaskAction"));
        Assert.Equal(2, journal.Count(e => e == "ObjectionFiled"));
        Assert.Single(journal, e => e == "NomineeWithdrawn");
        Assert.Single(journal, e => e == "ObjectionDismissed");
        Assert.Single(journal, e => e == "PublicityClosed");
        var resumedBy = finished["journal"]!.AsArray().Where(j => j!["event"]!.ToString() == "BookmarkResumed").Select(j => j!["actor"]?.ToString()).ToList();
        Assert.Contains(applicant.Name, resumedBy);  // the application, by the teacher
        Assert.Contains("anonymous", resumedBy);     // the citizen's objection
    }
}
