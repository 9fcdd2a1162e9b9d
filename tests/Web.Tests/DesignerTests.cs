using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Workflows.Web.Tests.Support;

namespace Workflows.Web.Tests;

public sealed class DesignerTests(WebFixture web)
{
    /// <summary>
    /// Issue 6's whole story in the browser: the administrator builds 或签 → 会签 → 抄送 in simple mode and publishes it,
    /// a teacher starts it from 发起流程, each approver acts from 待办, the teacher sees it finished and the bureau's
    /// dashboard counts it.
    /// </summary>
    [Fact]
    public async Task SimpleMode_ThreeStepApproval_IsBuiltAndPublished_ThenStartedApprovedAndCounted()
    {
        const string name = "三步审批（测试）";
        await BuildAndPublishThreeStepsAsync(name);

        // A teacher starts it from the list of processes she may start.
        string instancePath;
        await using (var teacher = await web.OpenAsync(Demo.Teacher1))
        {
            var page = teacher.Page;
            await teacher.GoAsync("/work");
            await page.GetByTestId("start-process").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/instances/start$"));
            await teacher.WaitInteractiveAsync();
            await page.GetByTestId("start-web-three-steps").ClickAsync();
            await Assertions.Expect(page.GetByTestId("start-title")).ToHaveTextAsync(name);
            await teacher.WaitInteractiveAsync();
            await page.GetByTestId("input-reason").FillAsync("申请参加县级骨干教师培训");
            await page.GetByTestId("start-submit").ClickAsync();
            await Assertions.Expect(page.GetByTestId("instance-title")).ToHaveTextAsync(name);
            await Assertions.Expect(page.GetByTestId("instance-status")).ToHaveTextAsync("进行中");
            await Assertions.Expect(page.GetByTestId("instance-data")).ToContainTextAsync("申请参加县级骨干教师培训");
            instancePath = new Uri(page.Url).PathAndQuery;
            teacher.AssertClean();
        }

        // 或签: the school office approves and the lead's copy of the task goes away.
        await web.ApproveFromInboxAsync(Demo.Office1Email, "教联体初审");
        await using (var lead = await web.OpenAsync(Demo.Lead1))
        {
            await lead.GoAsync("/work");
            await Assertions.Expect(lead.Page.GetByText("教联体初审")).ToHaveCountAsync(0);
            lead.AssertClean();
        }

        // 会签: after the first principal the request still waits for the second.
        await web.ApproveFromInboxAsync(Demo.Principal1, "两校长会签");
        await using (var teacher = await web.OpenAsync(Demo.Teacher1))
        {
            await teacher.GoAsync("/work?tab=mine");
            var row = teacher.Page.GetByTestId("request-table").Locator("tr").Filter(new() { HasText = name });
            await Assertions.Expect(row).ToContainTextAsync("两校长会签");
            await Assertions.Expect(row).ToContainTextAsync("进行中");
            teacher.AssertClean();
        }
        await web.ApproveFromInboxAsync(Demo.Principal2, "两校长会签");

        // The teacher sees it finished, in 我发起的 and on its page.
        await using (var teacher = await web.OpenAsync(Demo.Teacher1))
        {
            await teacher.GoAsync("/work?tab=mine");
            var row = teacher.Page.GetByTestId("request-table").Locator("tr").Filter(new() { HasText = name });
            await Assertions.Expect(row.GetByText("已完成")).ToBeVisibleAsync();
            await row.GetByTestId("request-link").ClickAsync();
            await Assertions.Expect(teacher.Page).ToHaveURLAsync(new Regex(Regex.Escape(instancePath) + "$"));
            await Assertions.Expect(teacher.Page.GetByTestId("instance-status")).ToHaveTextAsync("已完成");
            await Assertions.Expect(teacher.Page.GetByTestId("journal")).ToContainTextAsync("两校长会签");
            await teacher.ScreenshotAsync("story-finished");
            teacher.AssertClean();
        }

        // 抄送: the personnel office finds its copy.
        await using (var personnel = await web.OpenAsync(Demo.Personnel))
        {
            await personnel.GoAsync("/work?tab=cc");
            await Assertions.Expect(personnel.Page.GetByTestId("task-table").GetByText("抄送人事股备案")).ToBeVisibleAsync();

            // The bureau's dashboard counts it among the finished requests of its process.
            await personnel.GoAsync("/dashboard");
            await personnel.Page.GetByRole(AriaRole.Tab, new() { Name = "流程统计" }).ClickAsync();
            var row = personnel.Page.GetByTestId("definition-table").Locator("tr").Filter(new() { HasText = name });
            await Assertions.Expect(row.Locator("td[data-label='已完成']")).ToHaveTextAsync("1");
            await Assertions.Expect(row.Locator("td[data-label='进行中']")).ToHaveTextAsync("0");
            await personnel.ScreenshotAsync("story-dashboard");
            personnel.AssertClean();
        }
    }

    private async Task BuildAndPublishThreeStepsAsync(string name)
    {
        await using var session = await web.OpenAsync(Demo.Admin);
        Assert.True(await session.KnowsActivityAsync("Workflows.Approval"), "The Host does not know Workflows.Approval (the approval activity is not registered).");
        var page = session.Page;
        await session.GoAsync("/designer/simple");
        await page.GetByTestId("flow-name").FillAsync(name);
        await page.GetByTestId("flow-id").FillAsync("web-three-steps");
        var editor = page.GetByTestId("node-editor");

        // The start form asks for a reason.
        await editor.GetByTestId("add-field").ClickAsync();
        await editor.GetByTestId("form-field-0").GetByTestId("field-label").FillAsync("申请理由");
        await editor.GetByTestId("form-field-0").GetByTestId("field-name").FillAsync("reason");
        await Assertions.Expect(page.GetByTestId("node-start")).ToContainTextAsync("1");

        // 1: any one of the school office and the federation lead (或签).
        await AddNodeAsync(page, "add-root-0", "approval", "教联体初审", "审批人");
        await editor.GetByText("或签", new() { Exact = true }).ClickAsync();
        await page.SelectAsync(editor.GetByTestId("assignees-type"), "指定成员");
        await page.PickUserAsync(editor.GetByTestId("assignees-users"), "office1@");
        await page.PickUserAsync(editor.GetByTestId("assignees-users"), "lead1@");
        await Assertions.Expect(editor.GetByTestId("picked-user")).ToHaveCountAsync(2);

        // 2: both principals must approve (会签).
        await AddNodeAsync(page, "add-root-1", "approval", "两校长会签", "审批人");
        await editor.GetByText("会签", new() { Exact = true }).ClickAsync();
        await page.SelectAsync(editor.GetByTestId("assignees-type"), "指定成员");
        await page.PickUserAsync(editor.GetByTestId("assignees-users"), "principal1@");
        await page.PickUserAsync(editor.GetByTestId("assignees-users"), "principal2@");
        await Assertions.Expect(editor.GetByTestId("picked-user")).ToHaveCountAsync(2);

        // 3: CC the personnel office.
        await AddNodeAsync(page, "add-root-2", "cc", "抄送人事股备案", "抄送人");
        await page.SelectAsync(editor.GetByTestId("cc-to-type"), "指定成员");
        await page.PickUserAsync(editor.GetByTestId("cc-to-users"), "personnel@");

        await page.GetByTestId("publish").ClickAsync();
        await Assertions.Expect(page.GetByTestId("saved-version")).ToHaveTextAsync("已发布 v1");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/designer/simple/web-three-steps$"));
        await session.ScreenshotAsync("designer-simple-built");

        var definition = await session.GetAsync("/api/definitions/web-three-steps");
        var activities = definition!["root"]!["activities"]!.AsArray().OfType<JsonObject>().ToList();
        var approvals = activities.Where(a => a["type"]!.ToString() == "Workflows.Approval").ToList();
        Assert.Equal(["Any", "All"], approvals.Select(a => a["mode"]!["expression"]!["value"]!.ToString()));
        Assert.Contains("u-principal2", approvals[1]["assignees"]!["expression"]!["value"]!.ToString());
        Assert.Single(activities, a => a["type"]!.ToString() == "Workflows.Cc");
        Assert.NotNull(definition["customProperties"]?["simpleDesigner"]);
        var versions = await session.GetAsync("/api/definitions/web-three-steps/versions");
        Assert.True(versions![0]!["isPublished"]!.GetValue<bool>());

        // Reopened, the tree is as it was left; the canvas opens it too.
        await session.GoAsync("/designer/simple/web-three-steps");
        await Assertions.Expect(page.GetByTestId("flow-tree")).ToContainTextAsync("两校长会签");
        await session.GoAsync("/designer/canvas/web-three-steps");
        await Assertions.Expect(page.Locator("g[data-cell-id='n2']")).ToBeVisibleAsync();
        session.AssertClean();
    }

    [Fact]
    public async Task CanvasMode_DragConnectSave_ReloadFindsTheActivityWhereItWasLeft()
    {
        await using var session = await web.OpenAsync(Demo.Admin);
        var page = session.Page;
        await session.GoAsync("/designer/canvas");
        await page.Locator("g[data-cell-id='start']").WaitForAsync();
        await page.GetByTestId("flow-name").FillAsync("画布测试");
        await page.GetByTestId("flow-id").FillAsync("web-canvas");

        // Drag "输出文本" from the palette onto the canvas.
        var canvas = await page.GetByTestId("canvas").BoundingBoxAsync();
        var item = page.GetByTestId("palette-Elsa.WriteLine");
        await item.ScrollIntoViewIfNeededAsync();
        await DragAsync(page, item, canvas!.X + canvas.Width / 2, canvas.Y + canvas.Height * 0.7);
        var node = page.Locator("g[data-cell-id='writeline1']");
        await node.WaitForAsync();

        // Connect start's Done port to its In port.
        var from = await page.Locator("g[data-cell-id='start'] [port='Done']").BoundingBoxAsync();
        var to = await node.Locator("[port='In']").BoundingBoxAsync();
        await page.Mouse.MoveAsync(from!.X + from.Width / 2, from.Y + from.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(to!.X + to.Width / 2, to.Y + to.Height / 2, new() { Steps = 12 });
        await page.Mouse.UpAsync();
        await Assertions.Expect(page.Locator(".x6-edge")).ToHaveCountAsync(1);

        // Move it a little, then name it in the property panel.
        var box = await node.BoundingBoxAsync();
        await DragAsync(page, node, box!.X + box.Width / 2 + 90, box.Y + box.Height / 2 + 40, box);
        await page.GetByTestId("properties").GetByTestId("prop-name").FillAsync("记录");
        await page.GetByTestId("properties").GetByTestId("prop-name").PressAsync("Tab");
        var left = await PositionAsync(node);

        await page.GetByTestId("save-draft").ClickAsync();
        await Assertions.Expect(page.GetByTestId("saved-version")).ToHaveTextAsync("已保存草稿 v1");
        await session.ScreenshotAsync("designer-canvas-built");

        var saved = await session.GetAsync("/api/definitions/web-canvas");
        var activity = saved!["root"]!["activities"]!.AsArray().OfType<JsonObject>().Single(a => a["id"]!.ToString() == "writeline1");
        Assert.Equal(left, (activity["metadata"]!["designer"]!["position"]!["x"]!.GetValue<double>(), activity["metadata"]!["designer"]!["position"]!["y"]!.GetValue<double>()));
        Assert.Equal("记录", activity["name"]!.ToString());
        var connection = saved["root"]!["connections"]!.AsArray().Single()!;
        Assert.Equal("start", connection["source"]!["activity"]!.ToString());
        Assert.Equal("writeline1", connection["target"]!["activity"]!.ToString());

        await page.ReloadAsync();
        await session.WaitInteractiveAsync();
        await page.Locator("g[data-cell-id='writeline1']").WaitForAsync();
        Assert.Equal(left, await PositionAsync(page.Locator("g[data-cell-id='writeline1']")));
        await Assertions.Expect(page.Locator(".x6-edge")).ToHaveCountAsync(1);
        session.AssertClean();
    }

    /// <summary>
    /// A flow with an approval step that names nobody and an activity nothing leads to: after 校验 the canvas marks both
    /// activities (border, "!" badge, the problem as their tooltip), leaves the good ones alone, and the property panel
    /// of a marked activity says what is wrong, in Chinese.
    /// </summary>
    [Fact]
    public async Task CanvasMode_ValidationProblems_AreMarkedOnTheirActivities()
    {
        const string id = "web-canvas-problems";
        await using var session = await web.OpenAsync(Demo.Admin);
        var page = session.Page;
        await session.PostJsonAsync("/api/definitions", $$"""
            {
              "definitionId": "{{id}}", "name": "画布校验（测试）",
              "root": {
                "id": "flowchart", "type": "Elsa.Flowchart",
                "activities": [
                  { "id": "start", "type": "Elsa.Start", "name": "发起", "metadata": { "designer": { "position": { "x": 0, "y": 0 } } } },
                  { "id": "nobody", "type": "Workflows.Approval", "name": "无人审批",
                    "stepName": { "typeName": "String", "expression": { "type": "Literal", "value": "无人审批" } },
                    "metadata": { "designer": { "position": { "x": 0, "y": 130 } } } },
                  { "id": "orphan", "type": "Elsa.WriteLine", "name": "孤立节点",
                    "text": { "typeName": "String", "expression": { "type": "Literal", "value": "x" } },
                    "metadata": { "designer": { "position": { "x": 260, "y": 130 } } } }
                ],
                "connections": [ { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "nobody", "port": "In" } } ]
              }
            }
            """);

        await session.GoAsync($"/designer/canvas/{id}");
        var nobody = page.Locator("g.x6-node[data-cell-id='nobody']");
        var orphan = page.Locator("g.x6-node[data-cell-id='orphan']");
        var start = page.Locator("g.x6-node[data-cell-id='start']");
        await orphan.WaitForAsync();
        await Assertions.Expect(nobody).Not.ToHaveAttributeAsync("data-problem", new Regex("."));

        await page.GetByTestId("validate").ClickAsync();
        await Assertions.Expect(page.GetByTestId("problems")).ToContainTextAsync("共 2 处问题");
        await Assertions.Expect(nobody).ToHaveAttributeAsync("data-problem", new Regex("审批环节未设置审批人"));
        await Assertions.Expect(orphan).ToHaveAttributeAsync("data-problem", new Regex("「孤立节点」没有从开始节点连过来"));
        await Assertions.Expect(nobody).ToHaveAttributeAsync("data-problem-severity", "warning");
        await Assertions.Expect(start).Not.ToHaveAttributeAsync("data-problem", new Regex("."));
        await Assertions.Expect(nobody.Locator("rect").First).ToHaveAttributeAsync("stroke-dasharray", "6 3");
        await Assertions.Expect(page.Locator(".x6-cell-tools")).ToHaveCountAsync(2); // a "!" badge on each marked activity
        await session.ScreenshotAsync("designer-canvas-problems");

        // The property panel of a marked activity says what is wrong.
        await page.GetByTestId("problems").Locator("[data-activity='orphan']").ClickAsync();
        await Assertions.Expect(page.GetByTestId("properties").GetByTestId("activity-problem")).ToContainTextAsync("没有从开始节点连过来");

        // Connected, the orphan loses its mark on the next check; the approval keeps its own.
        var canvas = await page.GetByTestId("canvas").BoundingBoxAsync();
        await page.Mouse.ClickAsync(canvas!.X + 8, canvas.Y + 8); // a click on the blank canvas lets go of the selection
        await Assertions.Expect(page.Locator(".x6-widget-selection-box")).ToHaveCountAsync(0);
        await page.GetByTestId("zoom-fit").ClickAsync(); // the problem list centred the orphan; bring the whole flow back into view
        await page.WaitForTimeoutAsync(300);
        var from = await page.Locator("g.x6-node[data-cell-id='nobody'] [port='Approved']").BoundingBoxAsync();
        var to = await orphan.Locator("[port='In']").BoundingBoxAsync();
        await page.Mouse.MoveAsync(from!.X + from.Width / 2, from.Y + from.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(to!.X + to.Width / 2, to.Y + to.Height / 2, new() { Steps = 12 });
        await page.Mouse.UpAsync();
        await Assertions.Expect(page.Locator(".x6-edge")).ToHaveCountAsync(2);
        await page.GetByTestId("validate").ClickAsync();
        await Assertions.Expect(page.GetByTestId("problems")).ToContainTextAsync("共 1 处问题");
        await Assertions.Expect(orphan).Not.ToHaveAttributeAsync("data-problem", new Regex("."));
        await Assertions.Expect(nobody).ToHaveAttributeAsync("data-problem", new Regex("审批人"));
        await Assertions.Expect(page.Locator(".x6-cell-tools")).ToHaveCountAsync(1);
        session.AssertClean();
    }

    /// <summary>
    /// Problems the designer used to show in English (a publicity step with no nominees, a loop that never waits) are
    /// marked on the canvas in Chinese, as the validator wrote them; switched to English, the same check shows the English.
    /// </summary>
    [Fact]
    public async Task CanvasMode_ValidationProblems_AreShownInTheReadersLanguage()
    {
        const string id = "web-canvas-problems-zh";
        await using var session = await web.OpenAsync(Demo.Admin);
        var page = session.Page;
        static JsonObject At(int x, int y) => new() { ["designer"] = new JsonObject { ["position"] = new JsonObject { ["x"] = x, ["y"] = y } } };
        static JsonObject Connection(string from, string port, string to) => new()
        {
            ["source"] = new JsonObject { ["activity"] = from, ["port"] = port },
            ["target"] = new JsonObject { ["activity"] = to, ["port"] = "In" },
        };
        var definition = new JsonObject
        {
            ["definitionId"] = id, ["name"] = "画布中文提示（测试）",
            ["root"] = new JsonObject
            {
                ["id"] = "flowchart", ["type"] = "Elsa.Flowchart",
                ["activities"] = new JsonArray(
                    new JsonObject { ["id"] = "start", ["type"] = "Elsa.Start", ["name"] = "发起", ["metadata"] = At(0, 0) },
                    new JsonObject
                    {
                        ["id"] = "again", ["type"] = "Elsa.WriteLine", ["name"] = "再来一次", ["metadata"] = At(0, 130),
                        ["text"] = new JsonObject { ["typeName"] = "String", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = "x" } },
                    },
                    new JsonObject
                    {
                        ["id"] = "decide", ["type"] = "Elsa.FlowDecision", ["name"] = "是否继续", ["metadata"] = At(0, 260),
                        ["condition"] = new JsonObject { ["typeName"] = "Boolean", ["expression"] = new JsonObject { ["type"] = "JavaScript", ["value"] = "false" } },
                    },
                    new JsonObject
                    {
                        ["id"] = "publicity", ["type"] = "Workflows.Publicity", ["name"] = "公示名单", ["metadata"] = At(0, 390),
                        ["title"] = new JsonObject { ["typeName"] = "String", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = "公示" } },
                    }),
                ["connections"] = new JsonArray(Connection("start", "Done", "again"), Connection("again", "Done", "decide"),
                    Connection("decide", "True", "again"), Connection("decide", "False", "publicity")),
            },
        };
        await session.PostJsonAsync("/api/definitions", definition.ToJsonString());

        await session.GoAsync($"/designer/canvas/{id}");
        var publicity = page.Locator("g.x6-node[data-cell-id='publicity']");
        await publicity.WaitForAsync();
        await page.GetByTestId("validate").ClickAsync();
        await Assertions.Expect(page.GetByTestId("problems")).ToContainTextAsync("共 2 处问题");
        await Assertions.Expect(publicity).ToHaveAttributeAsync("data-problem", "公示环节未设置公示名单（nominees），将公示一份空名单。");
        await Assertions.Expect(publicity).ToHaveAttributeAsync("data-problem-severity", "warning");
        await Assertions.Expect(page.GetByTestId("problems")).ToContainTextAsync("中没有任何等待，只能靠条件结束");
        await Assertions.Expect(page.GetByTestId("problems")).Not.ToContainTextAsync("never waits");
        await page.GetByTestId("problems").Locator("[data-activity='publicity']").ClickAsync();
        await Assertions.Expect(page.GetByTestId("properties").GetByTestId("activity-problem")).ToHaveTextAsync("公示环节未设置公示名单（nominees），将公示一份空名单。");
        await session.ScreenshotAsync("designer-canvas-problems-zh");

        // The reader who chose English reads the validator's English.
        await page.GetByTestId("lang-switch").ClickAsync();
        await session.WaitInteractiveAsync();
        await Assertions.Expect(page.Locator("h1").First).ToHaveTextAsync("Flow designer (canvas)");
        await publicity.WaitForAsync();
        await page.GetByTestId("validate").ClickAsync();
        await Assertions.Expect(publicity).ToHaveAttributeAsync("data-problem", "The publicity step has no 'nominees'; it would publish an empty list.");
        await Assertions.Expect(page.GetByTestId("problems")).ToContainTextAsync("never waits; it relies on its condition to end");
        session.AssertClean();
    }

    /// <summary>Adds a step with "+" and names it, once the editor shows the new step (the page answers over its circuit).</summary>
    internal static async Task AddNodeAsync(IPage page, string insert, string kind, string name, string defaultName)
    {
        await page.GetByTestId(insert).Locator("button").First.ClickAsync();
        await page.Locator($".mud-popover-open [data-testid='add-kind-{kind}']").ClickAsync();
        var field = page.GetByTestId("node-editor").GetByTestId("node-name");
        await Assertions.Expect(field).ToHaveValueAsync(defaultName);
        await field.FillAsync(name);
        await Assertions.Expect(page.Locator(".flow-node.selected")).ToContainTextAsync(name);
    }

    private static async Task DragAsync(IPage page, ILocator source, double x, double y, LocatorBoundingBoxResult? box = null)
    {
        box ??= await source.BoundingBoxAsync();
        await page.Mouse.MoveAsync(box!.X + box.Width / 2, box.Y + box.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync((float)x, (float)y, new() { Steps = 15 });
        await page.Mouse.UpAsync();
    }

    /// <summary>The node's model position, as X6 writes it on the node's element (translate(x,y)).</summary>
    private static async Task<(double, double)> PositionAsync(ILocator node)
    {
        var transform = await node.GetAttributeAsync("transform") ?? "";
        var match = Regex.Match(transform, @"translate\(([-\d.]+),\s*([-\d.]+)\)");
        Assert.True(match.Success, $"No position in '{transform}'.");
        return (Math.Round(double.Parse(match.Groups[1].Value)), Math.Round(double.Parse(match.Groups[2].Value)));
    }
}
