using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Workflows.Host.Tests.Support;
using Workflows.Persistence.Entities;
using Workflows.Testing;
using static Workflows.Host.Tests.Scenarios.ScenarioKit;

namespace Workflows.Host.Tests.Scenarios;

/// <summary>
/// The full 2026 summer training (暑期教师集训) of two member schools of 城关教联体, through the API: enrolment, the
/// reminders before each phase, attendance marked by the school offices, three absences (a make-up plan approved, one
/// refused, one never answered by the principal → reminded, then escalated to the federation lead), self-checks,
/// reflections, seminars, the schools' summaries to the lead and the bureau; then the KPIs and the mail.
/// </summary>
public sealed class SummerTrainingScenario : HostTestBase
{
    private readonly SqliteDatabases _databases = new();
    protected override Task<TestDatabase> NewDatabaseAsync() => Task.FromResult(_databases.Create());
    protected override void Cleanup() => _databases.Dispose();

    private static readonly JsonObject AllPresent = new() { ["day1"] = "present", ["day2"] = "present", ["day3"] = "present" };

    [Fact]
    public async Task The_2026_summer_training_with_three_absences_ends_with_the_right_attendance_and_hours_per_school()
    {
        await using var smtp = await SmtpServer.StartNewAsync();
        var host = await StartHostAsync(time: new FakeTimeProvider(At("2026-08-03 09:00")), settings: Settings(smtp));
        var kit = new ScenarioKit(host, smtp);
        var actions = 0;
        async Task Act(string email, JsonObject task, string action, JsonObject? fields = null)
        {
            await kit.ActAsync(email, task, action, fields);
            actions++;
        }

        // The two smallest member schools of 城关教联体.
        var schools = new List<(string Id, List<UserRecord> Teachers)>();
        foreach (var schoolId in new[] { "school-1-2", "school-1-3", "school-1-4" })
            schools.Add((schoolId, await kit.TeachersOfAsync(schoolId)));
        schools = schools.OrderBy(s => s.Teachers.Count).Take(2).OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
        var (a, teachersA) = schools[0];
        var (b, teachersB) = schools[1];
        var everyone = teachersA.Concat(teachersB).ToList();
        var officeA = await kit.HolderAsync("SchoolOffice", a);
        var officeB = await kit.HolderAsync("SchoolOffice", b);
        var principalA = await kit.HolderAsync("Principal", a);
        var principalB = await kit.HolderAsync("Principal", b);
        string Who(UserRecord t) => $"{t.Name}（{t.EmployeeNo}）";

        // The bureau starts it for the two schools: everyone in scope is enrolled and told.
        var personnel = await kit.As(SignIn.Personnel);
        await personnel.PostJson("/api/processes/summer-training/start", """{"year": 2026, "schoolIds": ["nowhere"]}""").ExpectInvalid("schoolIds");
        await personnel.PostJson("/api/processes/summer-training/start", """{"year": 1990}""").ExpectInvalid("year");
        await (await kit.As(SignIn.Teacher1)).PostJson("/api/processes/summer-training/start", "{}").ExpectProblem(HttpStatusCode.Forbidden);
        var started = await (await personnel.PostJson("/api/processes/summer-training/start",
            new JsonObject { ["year"] = 2026, ["schoolIds"] = new JsonArray(a, b) }).Expect(HttpStatusCode.Created)).ReadObjectAsync();
        var id = started["id"]!.ToString();
        Assert.Equal(everyone.Count, (int)started["participants"]!);
        var phases = (await kit.Variables(id))["Phases"]!.AsArray();
        Assert.Equal(["2026-08-15", "2026-08-16", "2026-08-17"], phases[0]!["days"]!.AsArray().Select(d => d!.ToString()));
        Assert.Equal("2026-08-25", phases[1]!["start"]!.ToString());

        // The day before phase 1: a reminder to everyone. Phase 1 opens: an attendance task per teacher (teacher or office).
        await kit.AdvanceToAsync(At("2026-08-14 09:01"));
        await kit.AdvanceToAsync(At("2026-08-15 08:01"));
        var tasksA = await kit.WaitForTasksAsync(officeA, "第一阶段集训考勤：", teachersA.Count);
        var tasksB = await kit.WaitForTasksAsync(officeB, "第一阶段集训考勤：", teachersB.Count);
        Assert.Single(await kit.PendingAsync(teachersA[2].Email, "第一阶段集训考勤："));

        // The offices mark phase 1 at its end: X misses day 2, Y days 1 and 2 (school A), Z day 3 (school B).
        var (x, y, z) = (teachersA[0], teachersA[1], teachersB[0]);
        await kit.AdvanceToAsync(At("2026-08-17 18:00"));
        // One teacher confirms her own attendance; the offices mark everyone else.
        var self = teachersA[2];
        await Act(self.Email, Assert.Single(await kit.PendingAsync(self.Email, "第一阶段集训考勤：")), "approve", AllPresent);
        foreach (var (office, tasks) in new[] { (officeA, tasksA), (officeB, tasksB) })
            foreach (var task in tasks.Where(t => !t["stepName"]!.ToString().EndsWith(Who(self), StringComparison.Ordinal)))
            {
                var step = task["stepName"]!.ToString();
                var marks = (JsonObject)AllPresent.DeepClone();
                if (step.EndsWith(Who(x), StringComparison.Ordinal)) marks["day2"] = "absent";
                if (step.EndsWith(Who(y), StringComparison.Ordinal)) { marks["day1"] = "absent"; marks["day2"] = "absent"; }
                if (step.EndsWith(Who(z), StringComparison.Ordinal)) marks["day3"] = "absent";
                await Act(office, task, "approve", marks);
            }
        Assert.Empty(await kit.PendingAsync(officeA, "第一阶段集训考勤："));

        // An absence needs a reason and a make-up plan, which the principal approves.
        foreach (var t in new[] { x, y, z })
        {
            var reason = await kit.TaskAsync(t.Email, $"第一阶段缺勤说明与补训计划：{Who(t)}");
            var client = await kit.As(t.Email);
            await client.PostJson($"/api/tasks/{reason["id"]}/actions", """{"action": "approve", "fields": {"absenceReason": "家中有事"}}""")
                .ExpectInvalid("fields.makeupPlan");
            await Act(t.Email, reason, "approve", new JsonObject { ["absenceReason"] = "家中老人住院", ["makeupPlan"] = "9月随第二批补训并提交学习笔记" });
        }
        await Act(principalA, await kit.TaskAsync(principalA, $"第一阶段补训计划审批：{Who(x)}"), "approve");
        await Act(principalA, await kit.TaskAsync(principalA, $"第一阶段补训计划审批：{Who(y)}"), "reject");
        // School B's principal never answers: reminded after a working day, escalated to the lead after two.
        await kit.AdvanceToAsync(At("2026-08-18 18:01"));
        Assert.Contains(await kit.MailAsync(), m => To(m, principalB) && m.Subject.Contains("【催办】") && m.Subject.Contains($"补训计划审批：{Who(z)}"));
        await kit.AdvanceToAsync(At("2026-08-19 18:01"));
        Assert.Empty(await kit.PendingAsync(principalB, "第一阶段补训计划审批："));
        await Act(SignIn.Lead1, await kit.TaskAsync(SignIn.Lead1, $"第一阶段补训计划审批：{Who(z)}"), "approve");

        // Phase 2: reminder the day before, then attendance (everyone present), self-check and reflection.
        await kit.AdvanceToAsync(At("2026-08-24 09:01"));
        await kit.AdvanceToAsync(At("2026-08-25 08:01"));
        tasksA = await kit.WaitForTasksAsync(officeA, "第二阶段集训考勤：", teachersA.Count);
        tasksB = await kit.WaitForTasksAsync(officeB, "第二阶段集训考勤：", teachersB.Count);
        await kit.AdvanceToAsync(At("2026-08-27 12:01")); // the seminars are held on the last day
        await kit.AdvanceToAsync(At("2026-08-27 18:00"));
        foreach (var (office, tasks) in new[] { (officeA, tasksA), (officeB, tasksB) })
            foreach (var task in tasks)
                await Act(office, task, "approve", AllPresent);
        var conduct = new JsonObject { ["c1"] = "yes", ["c2"] = "yes", ["c3"] = "yes", ["c4"] = "yes", ["c5"] = "yes", ["c6"] = "yes" };
        foreach (var t in everyone)
        {
            await Act(t.Email, await kit.TaskAsync(t.Email, $"忌语忌事自查：{Who(t)}"), "approve", conduct);
            await Act(t.Email, await kit.TaskAsync(t.Email, $"提交集训心得：{Who(t)}"), "approve",
                new JsonObject { ["reflection"] = $"{t.Name}：两阶段集训收获很大，将把所学用于课堂。" });
        }
        foreach (var (school, office) in new[] { (a, officeA), (b, officeB) })
            await Act(office, Assert.Single(await kit.WaitForTasksAsync(office, "校本研讨记录：")), "approve", new JsonObject
            {
                ["seminarDate"] = "2026-08-27", ["seminarTopic"] = "师德与课堂", ["seminarAttendees"] = 30, ["seminarRecord"] = $"{school} 研讨纪要",
            });

        // Each school's summary: written by the office, then to the federation lead, then to the bureau.
        foreach (var office in new[] { officeA, officeB })
            await Act(office, Assert.Single(await kit.WaitForTasksAsync(office, "撰写学校集训总结：")), "approve",
                new JsonObject { ["schoolSummary"] = "全员参训，缺勤已安排补训。" });
        foreach (var review in await kit.WaitForTasksAsync(SignIn.Lead1, "教联体审阅学校集训总结：", 2))
            await Act(SignIn.Lead1, review, "approve");
        foreach (var review in await kit.WaitForTasksAsync(SignIn.Personnel, "教育局审阅学校集训总结：", 2))
            await Act(SignIn.Personnel, review, "approve", new JsonObject { ["reviewOpinion"] = "同意" });
        var finished = await host.WaitForAsync(id, "Finished", TimeSpan.FromSeconds(60));

        // Attendance and hours: 6 planned days per teacher, 4 hours per attended day.
        var attendance = finished["variables"]!["Attendance"]!.AsObject();
        Assert.Equal(everyone.Count, attendance.Count);
        Assert.Equal(5, (int)attendance[x.Id]!["attendedDays"]!);
        Assert.Equal(4, (int)attendance[y.Id]!["attendedDays"]!);
        Assert.Equal(20, (double)attendance[x.Id]!["hours"]!);
        Assert.Equal(24, (double)attendance[self.Id]!["hours"]!);
        var makeups = attendance.ToDictionary(p => p.Key, p => p.Value!["absences"]!.AsArray());
        Assert.Equal("approved", makeups[x.Id].Single()!["status"]!.ToString());
        Assert.Equal("refused", makeups[y.Id].Single()!["status"]!.ToString());
        var zMakeup = makeups[z.Id].Single()!;
        Assert.Equal("approved", zMakeup["status"]!.ToString());
        Assert.True((bool)zMakeup["escalated"]!);
        Assert.Equal("u-lead1", zMakeup["decidedBy"]!.ToString());
        Assert.Equal(everyone.Count, finished["variables"]!["Reflections"]!.AsObject().Count);
        Assert.Equal(everyone.Count, finished["variables"]!["SelfChecks"]!.AsObject().Count);
        var summaries = finished["variables"]!["SchoolSummaries"]!.AsObject();
        Assert.All(new[] { a, b }, s => Assert.Equal("accepted", summaries[s]!["status"]!.ToString()));

        // KPIs per school: attendance rate and hours.
        var plannedA = 6 * teachersA.Count;
        var plannedB = 6 * teachersB.Count;
        var kpis = await (await personnel.GetAsync($"/api/kpis?year=2026&federationId=fed-1", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        var rowA = kpis["schools"]!.AsArray().Single(s => s!["id"]!.ToString() == a)!;
        var rowB = kpis["schools"]!.AsArray().Single(s => s!["id"]!.ToString() == b)!;
        Assert.Equal(teachersA.Count, (int)rowA["trainingEnrolled"]!);
        Assert.Equal(plannedA, (int)rowA["trainingPlannedDays"]!);
        Assert.Equal(plannedA - 3, (int)rowA["trainingAttendedDays"]!);
        Assert.Equal(Math.Round((plannedA - 3.0) / plannedA, 4), (double)rowA["attendanceRate"]!);
        Assert.Equal((plannedA - 3) * 4.0, (double)rowA["trainingHours"]!);
        Assert.Equal(plannedB - 1, (int)rowB["trainingAttendedDays"]!);
        Assert.Equal((plannedB - 1) * 4.0, (double)rowB["trainingHours"]!);
        var federation = Assert.Single(kpis["federations"]!.AsArray())!;
        Assert.Equal(plannedA + plannedB - 4, (int)federation["trainingAttendedDays"]!);
        Assert.Empty(kpis["overdueTasks"]!.AsArray());
        // A principal sees their own school only.
        var principalView = await (await (await kit.As(principalA)).GetAsync("/api/kpis?year=2026", Ct).Expect(HttpStatusCode.OK)).ReadObjectAsync();
        Assert.Equal(a, Assert.Single(principalView["schools"]!.AsArray())!["id"]!.ToString());
        await (await kit.As(principalA)).GetAsync($"/api/kpis?schoolId={b}", Ct).ExpectProblem(HttpStatusCode.Forbidden);
        await (await kit.As(x.Email)).GetAsync("/api/kpis", Ct).ExpectProblem(HttpStatusCode.Forbidden);

        // The mail at the SMTP server.
        var mail = await kit.MailAsync();
        foreach (var t in everyone)
        {
            Assert.Contains(mail, m => To(m, t.Email) && m.Subject == "【通知】2026年暑期教师集训通知");
            Assert.Contains(mail, m => To(m, t.Email) && m.Subject == "【通知】2026年暑期集训第一阶段明天开始");
            Assert.Contains(mail, m => To(m, t.Email) && m.Subject == "【通知】2026年暑期集训第二阶段明天开始");
        }
        foreach (var t in new[] { x, y, z })
            Assert.Contains(mail, m => To(m, t.Email) && m.Subject.Contains("【待审批】") && m.Subject.Contains($"缺勤说明与补训计划：{Who(t)}"));
        Assert.Contains(mail, m => To(m, SignIn.Lead1) && m.Subject.Contains("【待审批】") && m.Subject.Contains($"补训计划审批：{Who(z)}"));
        Assert.DoesNotContain(mail, m => To(m, principalB) && m.Subject.Contains($"补训计划审批：{Who(x)}"));
        Assert.Contains(mail, m => To(m, SignIn.Personnel) && m.Subject == "【通知】2026年暑期教师集训已结束");

        // The journal has an entry for every action, plus the escalation and the reminder.
        var journal = finished["journal"]!.AsArray().Select(j => j!["event"]!.ToString()).ToList();
        Assert.Equal(actions + 1, journal.Count(e => e == "TaskAction")); // + the escalation, decided by "system"
        Assert.Contains("TaskEscalated", journal);
        Assert.Contains("TaskReminder", journal);
    }
}
