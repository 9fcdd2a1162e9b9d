using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using Workflows.Web.Tests.Support;

namespace Workflows.Web.Tests;

/// <summary>
/// 流程 for administrators: reassigning a task, moving an instance to another step, cancelling and retrying it from the
/// instance page; the process list's filters; and what others (and bad input) get instead.
/// </summary>
public sealed class InstanceAdminTests(WebFixture web)
{
    /// <summary>Two approval steps: "{prefix}初审" for the school office (office1; any one of <paramref name="first"/>), then "{prefix}复核" for principal1.</summary>
    private static string TwoSteps(string id, string name, string prefix, params string[] first) => TwoStepsWith(id, name, prefix,
        string.Join(",", (first.Length == 0 ? ["u-office1"] : first).Select(u => $"\\\"{u}\\\"")));

    private static string TwoStepsWith(string id, string name, string prefix, string firstUsers) => $$"""
        {
          "definitionId": "{{id}}",
          "name": "{{name}}",
          "inputs": [ { "name": "topic", "displayName": "事项", "type": "String", "uiHint": "singleline", "fieldType": "text", "required": true } ],
          "root": {
            "id": "flowchart", "type": "Elsa.Flowchart",
            "activities": [
              { "id": "start", "type": "Elsa.Start", "name": "发起" },
              { "id": "first", "type": "Workflows.Approval", "name": "{{prefix}}初审",
                "stepName": { "typeName": "String", "expression": { "type": "Literal", "value": "{{prefix}}初审" } },
                "mode": { "typeName": "String", "expression": { "type": "Literal", "value": "Any" } },
                "assignees": { "typeName": "Object", "expression": { "type": "Object", "value": "[{\"type\":\"users\",\"users\":[{{firstUsers}}]}]" } } },
              { "id": "second", "type": "Workflows.Approval", "name": "{{prefix}}复核",
                "stepName": { "typeName": "String", "expression": { "type": "Literal", "value": "{{prefix}}复核" } },
                "mode": { "typeName": "String", "expression": { "type": "Literal", "value": "Any" } },
                "assignees": { "typeName": "Object", "expression": { "type": "Object", "value": "[{\"type\":\"users\",\"users\":[\"u-principal1\"]}]" } } },
              { "id": "end", "type": "Elsa.End", "name": "结束" }
            ],
            "connections": [
              { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "first", "port": "In" } },
              { "source": { "activity": "first", "port": "Approved" }, "target": { "activity": "second", "port": "In" } },
              { "source": { "activity": "second", "port": "Approved" }, "target": { "activity": "end", "port": "In" } }
            ]
          }
        }
        """;

    /// <summary>A step whose script throws: every run of it faults (a retry too, since nothing about it can change).</summary>
    private const string FaultyId = "web-admin-faulty";

    private const string Faulty = """
        {
          "definitionId": "web-admin-faulty",
          "name": "出错流程（测试）",
          "root": {
            "id": "flowchart", "type": "Elsa.Flowchart",
            "activities": [
              { "id": "start", "type": "Elsa.Start", "name": "发起" },
              { "id": "broken", "type": "Elsa.WriteLine", "name": "有错误的脚本",
                "text": { "typeName": "String", "expression": { "type": "JavaScript", "value": "(function () { throw new Error('故意出错'); })()" } } }
            ],
            "connections": [ { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "broken", "port": "In" } } ]
          }
        }
        """;

    /// <summary>No human step: finishes at once.</summary>
    private const string NoteId = "web-admin-note";

    private const string Note = """
        {
          "definitionId": "web-admin-note",
          "name": "列表测试备案（测试）",
          "root": {
            "id": "flowchart", "type": "Elsa.Flowchart",
            "activities": [
              { "id": "start", "type": "Elsa.Start", "name": "发起" },
              { "id": "note", "type": "Elsa.WriteLine", "name": "备案", "text": { "typeName": "String", "expression": { "type": "Literal", "value": "ok" } } }
            ],
            "connections": [ { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "note", "port": "In" } } ]
          }
        }
        """;

    [Fact]
    public async Task Administrator_ReassignsMovesCancelsAndRetries()
    {
        const string id = "web-admin-two";
        string a, b, faulted;
        await using (var admin = await web.OpenAsync(Demo.Admin))
        {
            await admin.PostJsonAsync("/api/definitions?publish=true", TwoSteps(id, "改派测试（测试）", "改派测试"));
            await admin.PostJsonAsync("/api/definitions?publish=true", Faulty);
        }
        await using (var teacher = await web.OpenAsync(Demo.Teacher1))
        {
            a = await StartAsync(teacher, id, "甲");
            faulted = (await teacher.PostAsync("/api/instances", new { definitionId = FaultyId }))!["id"]!.ToString();
        }
        await AssertInboxAsync(Demo.Office1Email, "改派测试初审", true);

        // Reassign office1's task to teacher2 with the people picker.
        await using (var admin = await web.OpenAsync(Demo.Admin))
        {
            var page = admin.Page;
            await admin.GoAsync($"/instances/{a}");
            await Assertions.Expect(page.GetByTestId("admin-panel")).ToBeVisibleAsync();
            await OpenPanelAsync(page, "admin-reassign");
            await page.SelectAsync(page.GetByTestId("reassign-task"), "改派测试初审");
            await page.PickUserAsync(page.GetByTestId("reassign-user"), "teacher2@demo.local");
            await admin.ScreenshotAsync("instance-admin-reassign");
            await page.GetByTestId("reassign-confirm").ClickAsync();
            // In names and Chinese: "林娟 转交 → 梁佳怡：管理员改派", not user ids.
            await Assertions.Expect(page.GetByTestId("journal")).ToContainTextAsync(new Regex(@"转交 → \S+：管理员改派"));
            await Assertions.Expect(page.GetByTestId("journal")).Not.ToContainTextAsync("u-teacher2");
            await Assertions.Expect(page.GetByTestId("journal")).Not.ToContainTextAsync("Reassigned");
            await Assertions.Expect(page.Locator(".field-error")).ToHaveCountAsync(0);
            admin.AssertClean();
        }
        await AssertInboxAsync(Demo.Office1Email, "改派测试初审", false);
        await AssertInboxAsync("teacher2@demo.local", "改派测试初审", true);

        // Move it on to the second step: the journal says so and the diagram highlights that step.
        await using (var admin = await web.OpenAsync(Demo.Admin))
        {
            var page = admin.Page;
            await admin.GoAsync($"/instances/{a}");
            await Assertions.Expect(page.GetByTestId("diagram").Locator("g.node.current")).ToContainTextAsync("改派测试初审");
            await OpenPanelAsync(page, "admin-move");
            await page.SelectAsync(page.GetByTestId("move-from"), "改派测试初审");
            await page.SelectAsync(page.GetByTestId("move-to"), "改派测试复核");
            await admin.ScreenshotAsync("instance-admin-move");
            await page.GetByTestId("move-confirm").ClickAsync();
            await Assertions.Expect(page.GetByTestId("journal")).ToContainTextAsync("跳转 · 改派测试复核");
            await Assertions.Expect(page.GetByTestId("journal")).ToContainTextAsync("改派测试初审 → 改派测试复核");
            await Assertions.Expect(page.GetByTestId("diagram").Locator("g.node.current")).ToHaveCountAsync(1);
            await Assertions.Expect(page.GetByTestId("diagram").Locator("g.node.current")).ToContainTextAsync("改派测试复核");
            admin.AssertClean();
        }
        await AssertInboxAsync("teacher2@demo.local", "改派测试初审", false);
        await AssertInboxAsync(Demo.Principal1, "改派测试复核", true);

        // Cancel another instance: 已取消, and its task leaves office1's inbox.
        await using (var teacher = await web.OpenAsync(Demo.Teacher1))
            b = await StartAsync(teacher, id, "乙");
        await AssertInboxAsync(Demo.Office1Email, "改派测试初审", true);
        await using (var admin = await web.OpenAsync(Demo.Admin))
        {
            var page = admin.Page;
            await admin.GoAsync($"/instances/{b}");
            await OpenPanelAsync(page, "admin-cancel");
            await page.GetByTestId("cancel-reason").FillAsync("申请人已撤回");
            await admin.ScreenshotAsync("instance-admin-cancel");
            await page.GetByTestId("cancel-confirm").ClickAsync();
            await Assertions.Expect(page.GetByTestId("instance-status")).ToHaveTextAsync("已取消");
            await Assertions.Expect(page.GetByTestId("journal")).ToContainTextAsync("申请人已撤回");
            await Assertions.Expect(page.GetByTestId("admin-panel")).ToContainTextAsync("流程已结束，无需处理。");
            admin.AssertClean();
        }
        await AssertInboxAsync(Demo.Office1Email, "改派测试初审", false);

        // Retry a faulted instance: the incident is shown, the retry is offered, and it says the step faulted again.
        await using (var admin = await web.OpenAsync(Demo.Admin))
        {
            var page = admin.Page;
            await admin.GoAsync($"/instances/{faulted}");
            await Assertions.Expect(page.GetByTestId("instance-status")).ToHaveTextAsync("出错");
            await Assertions.Expect(page.GetByTestId("incidents")).ToContainTextAsync("故意出错");
            await Assertions.Expect(page.GetByTestId("admin-cancel")).ToHaveCountAsync(0); // it has ended: nothing to cancel
            await OpenPanelAsync(page, "admin-retry");
            await admin.ScreenshotAsync("instance-admin-retry");
            await page.GetByTestId("retry-confirm").ClickAsync();
            await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("重试后仍然出错");
            await Assertions.Expect(page.GetByTestId("journal")).ToContainTextAsync("重试");
            await Assertions.Expect(page.GetByTestId("incidents")).ToContainTextAsync("故意出错");
            await Assertions.Expect(page.GetByTestId("admin-retry")).ToBeVisibleAsync();
            admin.AssertClean();
        }
    }

    [Fact]
    public async Task NonAdministrators_DoNotSeeTheAdminActions()
    {
        const string id = "web-admin-view";
        await using (var admin = await web.OpenAsync(Demo.Admin))
            await admin.PostJsonAsync("/api/definitions?publish=true", TwoSteps(id, "查看测试（测试）", "查看测试"));
        string instance;
        await using (var teacher = await web.OpenAsync(Demo.Teacher1))
            instance = await StartAsync(teacher, id, "丙");

        foreach (var (email, width, height) in new[] { (Demo.Teacher1, 1280, 800), (Demo.Office1Email, 390, 844), (Demo.Principal1, 1280, 800) })
        {
            await using var session = await web.OpenAsync(email, width, height);
            await session.GoAsync($"/instances/{instance}");
            await Assertions.Expect(session.Page.GetByTestId("instance-title")).ToHaveTextAsync("查看测试（测试）");
            // The journal reads in names, not the engine's ids.
            await Assertions.Expect(session.Page.GetByTestId("journal")).ToContainTextAsync("等待：查看测试初审");
            await Assertions.Expect(session.Page.GetByTestId("journal")).ToContainTextAsync("查看测试（测试） v1");
            await Assertions.Expect(session.Page.GetByTestId("journal")).Not.ToContainTextAsync("Waiting on");
            await Assertions.Expect(session.Page.GetByTestId("journal")).Not.ToContainTextAsync("u-office1");
            await Assertions.Expect(session.Page.GetByTestId("admin-panel")).ToHaveCountAsync(0);
            foreach (var testId in new[] { "admin-cancel", "admin-retry", "admin-reassign", "admin-move" })
                await Assertions.Expect(session.Page.GetByTestId(testId)).ToHaveCountAsync(0);
            session.AssertClean();

            // Nor does the API do it for them.
            var refused = await session.Context.APIRequest.PostAsync($"/api/instances/{instance}/cancel", new() { DataObject = new { } });
            Assert.Equal(403, refused.Status);
        }
    }

    [Fact]
    public async Task AdminDialogs_BadInput_IsNamedBesideTheField_AndChangesNothing()
    {
        const string id = "web-admin-bad";
        await using (var admin = await web.OpenAsync(Demo.Admin))
            await admin.PostJsonAsync("/api/definitions?publish=true", TwoSteps(id, "错误输入测试（测试）", "错误输入"));
        string instance;
        await using (var teacher = await web.OpenAsync(Demo.Teacher1))
            instance = await StartAsync(teacher, id, "丁");

        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            await using var admin = await web.OpenAsync(Demo.Admin, width, height);
            var page = admin.Page;
            await admin.GoAsync($"/instances/{instance}");

            // Reassign: neither a task nor a person, then a task but no person, then the person who already has it.
            await OpenPanelAsync(page, "admin-reassign");
            var reassign = page.GetByTestId("admin-reassign");
            await page.GetByTestId("reassign-confirm").ClickAsync();
            await Assertions.Expect(reassign.Locator(".field-error[data-field='task']")).ToHaveTextAsync("请选择任务");
            await Assertions.Expect(reassign.Locator(".field-error[data-field='userId']")).ToHaveTextAsync("请选择人员");
            await page.SelectAsync(page.GetByTestId("reassign-task"), "错误输入初审");
            await page.GetByTestId("reassign-confirm").ClickAsync();
            await Assertions.Expect(reassign.Locator(".field-error[data-field='task']")).ToHaveCountAsync(0);
            await Assertions.Expect(reassign.Locator(".field-error[data-field='userId']")).ToHaveTextAsync("请选择人员");
            Assert.Contains("错误输入初审", await ShownAsync(page.GetByTestId("reassign-task")));
            await page.PickUserAsync(page.GetByTestId("reassign-user"), "office1@demo.local");
            await page.GetByTestId("reassign-confirm").ClickAsync();
            await Assertions.Expect(reassign.Locator(".field-error[data-field='userId']")).ToHaveTextAsync("已经是该人员的任务");
            await Assertions.Expect(reassign.GetByText("已经是该人员的任务")).ToHaveCountAsync(1); // once, beside the field
            Assert.Contains("错误输入初审", await ShownAsync(page.GetByTestId("reassign-task")));
            await Assertions.Expect(page.GetByTestId("reassign-user").Locator("input").First).ToHaveValueAsync(new Regex("office1@demo.local"));
            await admin.ScreenshotAsync("instance-admin-reassign-errors");

            // Move: where from, but not where to.
            await OpenPanelAsync(page, "admin-move");
            var move = page.GetByTestId("admin-move");
            Assert.Contains("错误输入初审", await ShownAsync(page.GetByTestId("move-from"))); // where it stands, already chosen
            await page.SelectAsync(page.GetByTestId("move-from"), "错误输入初审");
            await page.GetByTestId("move-confirm").ClickAsync();
            await Assertions.Expect(move.Locator(".field-error[data-field='to']")).ToHaveTextAsync("请选择目标环节");
            await Assertions.Expect(move.Locator(".field-error[data-field='from']")).ToHaveCountAsync(0);
            Assert.Contains("错误输入初审", await ShownAsync(page.GetByTestId("move-from")));
            await admin.ScreenshotAsync("instance-admin-move-errors");

            // Cancel: a reason longer than 500 characters.
            await OpenPanelAsync(page, "admin-cancel");
            var cancel = page.GetByTestId("admin-cancel");
            var reason = new string('长', 501);
            await page.GetByTestId("cancel-reason").FillAsync(reason);
            await page.GetByTestId("cancel-confirm").ClickAsync();
            await Assertions.Expect(cancel.Locator(".field-error[data-field='reason']")).ToHaveTextAsync("原因不能超过 500 字");
            await Assertions.Expect(page.GetByTestId("cancel-reason")).ToHaveValueAsync(reason);
            await admin.ScreenshotAsync("instance-admin-cancel-errors");
            admin.AssertClean();

            // Nothing changed: still running at the first step, with office1's task.
            var state = await admin.GetAsync($"/api/instances/{instance}");
            Assert.Equal("Running", state!["status"]!.ToString());
            var events = state["journal"]!.AsArray().Select(j => j!["event"]!.ToString()).ToList();
            Assert.DoesNotContain("TokenMoved", events);
            Assert.DoesNotContain("WorkflowCancelled", events);
            Assert.DoesNotContain("TaskAction", events);
        }
        await AssertInboxAsync(Demo.Office1Email, "错误输入初审", true);
    }

    /// <summary>The reassign API names the field it refuses (never a 500); the admin panel shows these beside the picker.</summary>
    [Fact]
    public async Task ReassignApi_BadInput_IsNamedByField()
    {
        const string id = "web-admin-api";
        await using var admin = await web.OpenAsync(Demo.Admin);
        await admin.PostJsonAsync("/api/definitions?publish=true", TwoSteps(id, "接口测试（测试）", "接口测试", "u-office1", "u-lead1"));
        string instance;
        await using (var teacher = await web.OpenAsync(Demo.Teacher1))
            instance = await StartAsync(teacher, id, "戊");
        var task = await ScalarAsync("SELECT id FROM human_tasks WHERE instance_id = $id AND assignee_id = 'u-office1' AND status = 'Pending'", instance);
        var path = $"/api/tasks/{task}/reassign";

        await ExpectAsync(admin, path, "nope", 400, "body");
        await ExpectAsync(admin, path, "{}", 400, "userId");
        await ExpectAsync(admin, path, """{"userId": 5}""", 400, "userId");
        await ExpectAsync(admin, path, """{"userId": "  "}""", 400, "userId");
        await ExpectAsync(admin, path, """{"userId": "u-nobody"}""", 400, "userId");
        await ExpectAsync(admin, path, """{"userId": "u-office1"}""", 400, "userId");
        await ExpectAsync(admin, path, Api.Serialize(new { userId = "u-teacher2", comment = new string('长', 2001) }), 400, "comment");
        // lead1 already has a task of this step: the step refuses, and says so about the person.
        await ExpectAsync(admin, path, """{"userId": "u-lead1"}""", 400, "userId");
        await ExpectAsync(admin, "/api/tasks/no-such-task/reassign", """{"userId": "u-teacher2"}""", 404, null);

        // A good one; then the task is no longer pending, so a second try is a conflict.
        await admin.PostJsonAsync(path, """{"userId": "u-teacher2", "comment": "林老师外出培训"}""");
        await ExpectAsync(admin, path, """{"userId": "u-teacher3"}""", 409, null);
        var journal = (await admin.GetAsync($"/api/instances/{instance}"))!["journal"]!.AsArray().Select(j => j?["summary"]?.ToString() ?? "");
        Assert.Contains(journal, s => s.Contains("林老师外出培训", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProcessList_Filters_ByDefinitionStatusFederationSchoolAndOverdue()
    {
        const string id = "web-admin-list";
        await using (var admin = await web.OpenAsync(Demo.Admin))
        {
            await admin.PostJsonAsync("/api/definitions?publish=true", TwoSteps(id, "列表测试（测试）", "列表测试"));
            await admin.PostJsonAsync("/api/definitions?publish=true", Note);
        }
        string overdue, cancelled;
        await using (var teacher = await web.OpenAsync(Demo.Teacher1)) // 城关第一小学, 城关教联体
        {
            overdue = await StartAsync(teacher, id, "一");
            cancelled = await StartAsync(teacher, id, "二");
            await teacher.PostAsync("/api/instances", new { definitionId = NoteId });
        }
        await using (var principal = await web.OpenAsync("principal5@demo.local")) // 青山镇中心学校, 青山教联体
            await StartAsync(principal, id, "三");
        await using (var admin = await web.OpenAsync(Demo.Admin))
            await admin.PostAsync($"/api/instances/{cancelled}/cancel", new { reason = "测试" });
        // The Host's clock cannot be moved, so the task is made overdue in its database.
        await MakeOverdueAsync(overdue);

        await using (var session = await web.OpenAsync(Demo.Admin))
        {
            var page = session.Page;
            var links = page.GetByTestId("instance-link");
            var table = page.GetByTestId("instance-table");
            await session.GoAsync("/instances");

            await page.SelectAsync(page.GetByTestId("filter-definition"), "列表测试（测试）");
            await Assertions.Expect(links).ToHaveCountAsync(3);
            await Assertions.Expect(links.Filter(new() { HasNotText = "列表测试（测试）" })).ToHaveCountAsync(0);

            await page.GetByTestId("filter-overdue").ClickAsync();
            await Assertions.Expect(links).ToHaveCountAsync(1);
            await Assertions.Expect(table).ToContainTextAsync("已逾期");
            await Assertions.Expect(table).ToContainTextAsync("城关第一小学");
            await session.ScreenshotAsync("instances-filter-overdue");
            await page.GetByTestId("filter-overdue").ClickAsync();
            await Assertions.Expect(links).ToHaveCountAsync(3);

            await page.SelectAsync(page.GetByTestId("filter-status"), "已取消");
            await Assertions.Expect(links).ToHaveCountAsync(1);
            await Assertions.Expect(table.Locator(".status-chip")).ToHaveTextAsync(["已取消"]);
            await page.SelectAsync(page.GetByTestId("filter-status"), "进行中");
            await Assertions.Expect(links).ToHaveCountAsync(2);

            await page.SelectAsync(page.GetByTestId("filter-federation"), "青山教联体");
            await Assertions.Expect(links).ToHaveCountAsync(1);
            await Assertions.Expect(table).ToContainTextAsync("青山镇中心学校");
            await page.SelectAsync(page.GetByTestId("filter-federation"), "城关教联体");
            await Assertions.Expect(links).ToHaveCountAsync(1);
            await Assertions.Expect(table).ToContainTextAsync("城关第一小学");

            await page.SelectAsync(page.GetByTestId("filter-school"), "城关第二小学");
            await Assertions.Expect(links).ToHaveCountAsync(0);
            await page.SelectAsync(page.GetByTestId("filter-school"), "城关第一小学");
            await Assertions.Expect(links).ToHaveCountAsync(1);
            await session.ScreenshotAsync("instances-filtered");

            await page.SelectAsync(page.GetByTestId("filter-definition"), "列表测试备案（测试）");
            await page.SelectAsync(page.GetByTestId("filter-status"), "已完成");
            await Assertions.Expect(links).ToHaveCountAsync(1);
            await Assertions.Expect(table.Locator(".status-chip")).ToHaveTextAsync(["已完成"]);
            session.AssertClean();
        }

        // The status filter from the address: only finished ones.
        await using (var session = await web.OpenAsync(Demo.Admin, 390, 844))
        {
            await session.GoAsync("/instances?status=finished");
            var chips = session.Page.GetByTestId("instance-table").Locator(".status-chip");
            await Assertions.Expect(chips.First).ToBeVisibleAsync();
            foreach (var chip in await chips.AllAsync())
                await Assertions.Expect(chip).ToHaveTextAsync("已完成");
            session.AssertClean();
        }
    }

    private static async Task<string> StartAsync(Session session, string definitionId, string topic) =>
        (await session.PostAsync("/api/instances", new { definitionId, input = new { topic } }))!["id"]!.ToString();

    private static async Task OpenPanelAsync(IPage page, string testId)
    {
        var panel = page.GetByTestId(testId);
        await panel.Locator(".mud-expand-panel-header").First.ClickAsync();
        await Assertions.Expect(panel.Locator(".mud-expand-panel-content, .mud-collapse-container").First).ToBeVisibleAsync();
    }

    /// <summary>Whether <paramref name="email"/> sees a pending task of <paramref name="step"/> in 待办.</summary>
    private async Task AssertInboxAsync(string email, string step, bool present)
    {
        await using var session = await web.OpenAsync(email);
        await session.GoAsync("/work");
        var rows = session.Page.GetByTestId("task-table").GetByText(step, new() { Exact = true });
        if (present) await Assertions.Expect(rows.First).ToBeVisibleAsync();
        else
        {
            // The inbox has loaded (its table, or that it is empty) before an absence means anything.
            await Assertions.Expect(session.Page.GetByTestId("task-table").Or(session.Page.GetByText("没有待办事项。"))).ToBeVisibleAsync();
            await Assertions.Expect(rows).ToHaveCountAsync(0);
        }
        session.AssertClean();
    }

    /// <summary>What a MudSelect shows (its data-testid sits on an inner element; the choice may be text or an input's value).</summary>
    private static Task<string> ShownAsync(ILocator select) => select.EvaluateAsync<string>("""
        el => { const root = el.closest('.mud-select') || el;
                return root.innerText + ' ' + [...root.querySelectorAll('input')].map(i => i.value).join(' '); }
        """);

    private static async Task ExpectAsync(Session session, string path, string body, int status, string? field)
    {
        var response = await session.Context.APIRequest.PostAsync(path, new APIRequestContextOptions
        {
            Data = body, Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" },
        });
        var text = await response.TextAsync();
        Assert.True(response.Status == status, $"POST {path} {body}: {response.Status} {text}");
        Assert.StartsWith("application/problem+json", response.Headers.GetValueOrDefault("content-type") ?? "");
        if (field is not null)
            Assert.True(System.Text.Json.Nodes.JsonNode.Parse(text)?["errors"]?[field] is not null, $"POST {path} {body}: no error for '{field}': {text}");
    }

    private async Task<string> ScalarAsync(string sql, string instanceId)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(web.DataDirectory, "web.db")};Pooling=False;Default Timeout=30");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", instanceId);
        return (await command.ExecuteScalarAsync())?.ToString() ?? throw new InvalidOperationException($"Nothing for: {sql}");
    }

    private async Task MakeOverdueAsync(string instanceId)
    {
        var path = Path.Combine(web.DataDirectory, "web.db");
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False;Default Timeout=30");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE human_tasks SET due_at = $due WHERE instance_id = $id AND status = 'Pending'";
        command.Parameters.AddWithValue("$due", DateTimeOffset.UtcNow.AddDays(-3).UtcTicks);
        command.Parameters.AddWithValue("$id", instanceId);
        Assert.True(await command.ExecuteNonQueryAsync() > 0, "No pending task to make overdue.");
    }
}
