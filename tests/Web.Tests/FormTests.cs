using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Workflows.Web.Tests.Support;

namespace Workflows.Web.Tests;

public sealed class FormTests(WebFixture web)
{
    [Fact]
    public async Task StartForm_WithBadInput_ShowsChineseErrorsBesideTheFields_AndKeepsTheInput()
    {
        await using var admin = await web.OpenAsync(Demo.Admin);
        await admin.PostJsonAsync("/api/definitions?publish=true", Flows.LeaveNote);

        await using var session = await web.OpenAsync(Demo.Teacher1, 390, 844);
        await session.GoAsync($"/instances/start/{Flows.LeaveNoteId}");
        var days = session.Page.GetByTestId("input-days");
        await days.FillAsync("三天");
        await session.Page.GetByTestId("start-submit").ClickAsync();

        await Assertions.Expect(session.Page.Locator(".field-error[data-field='days']")).ToHaveTextAsync("「天数」必须是数字");
        await Assertions.Expect(session.Page.Locator(".field-error[data-field='reason']")).ToHaveTextAsync("「事由」为必填项");
        await Assertions.Expect(days).ToHaveValueAsync("三天");
        await session.ScreenshotAsync("start-form-errors");

        await days.FillAsync("2");
        await session.Page.GetByTestId("input-reason").FillAsync("参加培训");
        await session.Page.GetByTestId("start-submit").ClickAsync();
        await Assertions.Expect(session.Page.GetByTestId("instance-title")).ToHaveTextAsync("请假备案（测试）");
        session.AssertClean();
    }

    [Fact]
    public async Task Designer_WithoutAName_ShowsTheProblemBesideTheField()
    {
        await using var session = await web.OpenAsync(Demo.Admin);
        await session.GoAsync("/designer/simple");
        await session.Page.GetByTestId("save-draft").ClickAsync();
        await Assertions.Expect(session.Page.Locator(".field-error[data-field='name']").First).ToHaveTextAsync("请填写流程名称");

        await session.Page.GetByTestId("flow-id").FillAsync("Bad Id!");
        await session.Page.GetByTestId("save-draft").ClickAsync();
        await Assertions.Expect(session.Page.Locator(".field-error[data-field='id']")).ToContainTextAsync("小写字母");
        await Assertions.Expect(session.Page.GetByTestId("flow-id")).ToHaveValueAsync("Bad Id!");

        // A start-form field with a key that starts with a digit and no label; a step with nobody to approve it.
        var page = session.Page;
        var editor = page.GetByTestId("node-editor");
        await page.GetByTestId("flow-name").FillAsync("表单校验（测试）");
        await page.GetByTestId("flow-id").FillAsync("web-form-check");
        await editor.GetByTestId("add-field").ClickAsync();
        var field = editor.GetByTestId("form-field-0");
        await field.GetByTestId("field-name").FillAsync("1号字段");
        await DesignerTests.AddNodeAsync(page, "add-root-0", "approval", "无人审批", "审批人");
        await page.SelectAsync(editor.GetByTestId("assignees-type"), "指定成员");
        await page.GetByTestId("save-draft").ClickAsync();
        await Assertions.Expect(editor.Locator(".field-error[data-field='assignees']")).ToHaveTextAsync("请至少选择一名成员");
        await Assertions.Expect(page.GetByTestId("problems")).ToContainTextAsync("共 3 处问题");
        await Assertions.Expect(page.Locator(".field-error[data-field='name']")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("saved-version")).ToHaveCountAsync(0);

        await page.GetByTestId("node-start").ClickAsync();
        await Assertions.Expect(field.Locator(".field-error[data-field='label']")).ToHaveTextAsync("请填写字段名称");
        await Assertions.Expect(field.Locator(".field-error[data-field='name']")).ToHaveTextAsync("字段标识须以字母开头，只含字母、数字和下划线");
        await Assertions.Expect(field.GetByTestId("field-name")).ToHaveValueAsync("1号字段");
        await session.ScreenshotAsync("designer-errors");
        session.AssertClean();
    }

    [Fact]
    public async Task TaskForm_RejectWithoutAReason_AndALetterForANumber_ShowTheProblemsBesideTheirFields()
    {
        await using (var admin = await web.OpenAsync(Demo.Admin))
            await admin.PostJsonAsync("/api/definitions?publish=true", Flows.Review);
        await using (var teacher = await web.OpenAsync(Demo.Teacher1))
            await teacher.PostAsync("/api/instances", new { definitionId = Flows.ReviewId, input = new { title = "三年级数学教案" } });

        await using var session = await web.OpenAsync(Demo.Office1Email, 390, 844);
        var page = session.Page;
        await session.GoAsync("/work");
        await page.GetByTestId("task-table").GetByText("材料复核").First.ClickAsync();
        await session.WaitInteractiveAsync();
        await Assertions.Expect(page.GetByTestId("task-step")).ToHaveTextAsync("材料复核");

        // 不同意 needs a reason.
        await page.GetByTestId("action-reject").ClickAsync();
        await Assertions.Expect(page.Locator(".field-error[data-field='comment']")).ToHaveTextAsync("拒绝时请填写理由");

        // 同意 with a word where the score goes: the problem is beside the score, and the word stays.
        var score = page.GetByTestId("field-score");
        await score.FillAsync("九十");
        await page.GetByTestId("task-comment").FillAsync("材料齐全。");
        await page.GetByTestId("action-approve").ClickAsync();
        await Assertions.Expect(page.Locator(".field-error[data-field='fields.score']")).ToHaveTextAsync("「评分」必须是数字");
        await Assertions.Expect(score).ToHaveValueAsync("九十");
        await Assertions.Expect(page.GetByTestId("task-comment")).ToHaveValueAsync("材料齐全。");
        await Assertions.Expect(page.GetByTestId("task-status")).ToHaveTextAsync("待处理");
        await session.ScreenshotAsync("task-form-errors");

        await score.FillAsync("90");
        await page.GetByTestId("action-approve").ClickAsync();
        await Assertions.Expect(page.GetByTestId("task-submitted")).ToHaveTextAsync("已提交：同意");
        await Assertions.Expect(page.GetByTestId("value-score")).ToHaveTextAsync("90");
        session.AssertClean();
    }

    [Fact]
    public async Task RosterImport_WithABadFile_ListsEachProblemByRowInChinese_AndImportsNothing()
    {
        await using var session = await web.OpenAsync(Demo.Admin);
        var page = session.Page;
        await session.GoAsync("/org");
        await page.GetByTestId("roster-import").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/org/import$"));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("导入名册");
        await session.WaitInteractiveAsync();
        var fileError = page.Locator(".field-error[data-field='file']");

        // No file, then a file of the wrong kind: the problem is beside the file field.
        await page.GetByTestId("roster-submit").ClickAsync();
        await Assertions.Expect(fileError).ToHaveTextAsync("请选择 .xlsx 或 .csv 文件");
        await page.GetByTestId("roster-file").SetInputFilesAsync(new FilePayload { Name = "名单.pdf", MimeType = "application/pdf", Buffer = "%PDF-1.4"u8.ToArray() });
        await Assertions.Expect(page.GetByTestId("roster-file-names")).ToHaveTextAsync("名单.pdf");
        await page.GetByTestId("roster-submit").ClickAsync();
        await Assertions.Expect(fileError).ToHaveTextAsync("只接受 .xlsx 或 .csv 文件");

        // Teachers with a bad address, an unknown school and a date written the Chinese way: one line per problem.
        var csv = string.Join("\r\n",
            "姓名,工号,邮箱,学校编码,调入本校日期",
            "李明,T9001,不是邮箱,S11,2019-09-01",
            "王芳,T9002,wangfang.new@demo.local,S99,2019-09-01",
            "赵强,T9003,zhaoqiang.new@demo.local,S11,去年九月");
        await page.GetByTestId("roster-file").SetInputFilesAsync(new FilePayload { Name = "新教师.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv) });
        await page.GetByTestId("roster-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("roster-failed")).ToContainTextAsync("3 处错误，未导入任何数据");
        await Assertions.Expect(fileError).ToHaveCountAsync(0);
        var rows = page.GetByTestId("roster-report").Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("2");
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("邮箱格式不正确：不是邮箱");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("未知的学校编码 S99");
        await Assertions.Expect(rows.Nth(2)).ToContainTextAsync("日期格式不正确");
        await Assertions.Expect(page.GetByTestId("roster-report")).Not.ToContainTextAsync("Not a valid");
        await Assertions.Expect(page.GetByTestId("roster-file-names")).ToHaveTextAsync("新教师.csv");
        await session.ScreenshotAsync("roster-import-errors");

        var found = await session.GetAsync("/api/org/users?q=wangfang.new@demo.local");
        Assert.Equal(0, found!["total"]!.GetValue<int>());

        // Corrected, the file passes the check, then imports; the teacher is in the roster.
        var fixedCsv = string.Join("\r\n", "姓名,工号,邮箱,学校编码,调入本校日期", "王芳,T9002,wangfang.new@demo.local,S12,2019-09-01");
        await page.GetByTestId("roster-file").SetInputFilesAsync(new FilePayload { Name = "新教师.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(fixedCsv) });
        await page.GetByTestId("roster-check").ClickAsync();
        await Assertions.Expect(page.GetByTestId("roster-summary")).ToContainTextAsync("检查通过");
        await Assertions.Expect(page.GetByTestId("roster-summary")).ToContainTextAsync("教师：新增 1，更新 0，不变 0");
        await Assertions.Expect(page.GetByTestId("roster-report")).ToHaveCountAsync(0);
        Assert.Equal(0, (await session.GetAsync("/api/org/users?q=wangfang.new@demo.local"))!["total"]!.GetValue<int>());
        await page.GetByTestId("roster-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("roster-summary")).ToContainTextAsync("已导入");
        await session.GoAsync("/org?q=wangfang.new@demo.local");
        await Assertions.Expect(page.GetByTestId("org-users").Locator("tr").Filter(new() { HasText = "王芳" })).ToContainTextAsync("城关第二小学");
        session.AssertClean();
    }

    [Fact]
    public async Task NewTeacher_WithBadInput_ShowsChineseErrorsBesideTheFields_AndKeepsTheInput()
    {
        await using var session = await web.OpenAsync(Demo.Admin, 390, 844);
        var page = session.Page;
        await session.GoAsync("/org");
        await page.GetByTestId("teacher-new").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/org/new$"));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("新增教师");
        await session.WaitInteractiveAsync();

        // Nothing filled in.
        await page.GetByTestId("teacher-save").ClickAsync();
        await Assertions.Expect(page.Locator(".field-error[data-field='name']")).ToHaveTextAsync("请填写姓名");
        await Assertions.Expect(page.Locator(".field-error[data-field='email']")).ToHaveTextAsync("请输入邮箱");
        await Assertions.Expect(page.Locator(".field-error[data-field='schoolId']")).ToHaveTextAsync("请选择学校");

        // A taken address, a date written the Chinese way and a short password: each answered beside its field.
        await page.GetByTestId("teacher-name").FillAsync("陈晓光");
        await page.GetByTestId("teacher-email").FillAsync(Demo.Teacher1);
        await page.SelectAsync(page.GetByTestId("teacher-school"), "城关第二小学");
        await page.GetByTestId("teacher-joined").FillAsync("2019年9月");
        await page.GetByTestId("teacher-password").FillAsync("123");
        await page.GetByTestId("teacher-save").ClickAsync();
        await Assertions.Expect(page.Locator(".field-error[data-field='email']")).ToHaveTextAsync($"已有人员使用邮箱 {Demo.Teacher1}");
        await Assertions.Expect(page.Locator(".field-error[data-field='joinedSchoolOn']")).ToHaveTextAsync("日期格式应为 YYYY-MM-DD（如 2019-09-01）");
        await Assertions.Expect(page.Locator(".field-error[data-field='password']")).ToHaveTextAsync("密码至少 8 位");
        await Assertions.Expect(page.Locator(".field-error[data-field='name']")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("teacher-name")).ToHaveValueAsync("陈晓光");
        await Assertions.Expect(page.GetByTestId("teacher-joined")).ToHaveValueAsync("2019年9月");
        await session.ScreenshotAsync("teacher-form-errors");

        await page.GetByTestId("teacher-email").FillAsync("chenxiaoguang@demo.local");
        await page.GetByTestId("teacher-joined").FillAsync("2019-09-01");
        await page.GetByTestId("teacher-password").FillAsync("");
        await page.GetByTestId("teacher-save").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/org\\?q=chenxiaoguang"));
        var row = page.GetByTestId("org-users").Locator("tr").Filter(new() { HasText = "陈晓光" });
        await Assertions.Expect(row).ToContainTextAsync("城关第二小学");
        await Assertions.Expect(row).ToContainTextAsync("教师");
        session.AssertClean();
    }

    [Fact]
    public async Task EditTeacher_WithBadInput_ShowsChineseErrorsBesideTheFields_KeepsTheInput_AndAGoodEditShowsInTheList()
    {
        const string email = "zhouming.edit@demo.local";
        await using var session = await web.OpenAsync(Demo.Admin, 390, 844);
        var page = session.Page;
        var created = await session.PostAsync("/api/org/users", new { name = "周明", email, schoolId = "school-1-3", subject = "语文", joinedSchoolOn = "2016-09-01" });
        var id = created!["id"]!.ToString();
        await session.PostAsync($"/api/org/users/{id}/roles", new { role = "Teacher", scopeId = "school-1-3" });

        // From the organisation list, the pencil of the row opens the form with the teacher's details.
        await session.GoAsync($"/org?q={email}");
        var row = page.GetByTestId("org-users").Locator("tr").Filter(new() { HasText = "周明" });
        await row.GetByTestId("user-edit").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/org/users/{id}/edit$"));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("编辑教师");
        await session.WaitInteractiveAsync();
        await Assertions.Expect(page.GetByTestId("teacher-name")).ToHaveValueAsync("周明");
        await Assertions.Expect(page.GetByTestId("teacher-email")).ToHaveValueAsync(email);
        await Assertions.Expect(page.GetByTestId("teacher-joined")).ToHaveValueAsync("2016-09-01");

        // No name: answered beside the name, before anything is sent.
        await page.GetByTestId("teacher-name").FillAsync("");
        await page.GetByTestId("teacher-save").ClickAsync();
        await Assertions.Expect(page.Locator(".field-error[data-field='name']")).ToHaveTextAsync("请填写姓名");

        // A taken address, a date and a year written the Chinese way: each answered beside its field, in Chinese.
        await page.GetByTestId("teacher-name").FillAsync("周晓明");
        await page.GetByTestId("teacher-email").FillAsync(Demo.Teacher1);
        await page.GetByTestId("teacher-joined").FillAsync("2016年9月");
        await page.GetByTestId("teacher-birth-year").FillAsync("八五年");
        await page.GetByTestId("teacher-save").ClickAsync();
        await Assertions.Expect(page.Locator(".field-error[data-field='email']")).ToHaveTextAsync($"已有人员使用邮箱 {Demo.Teacher1}");
        await Assertions.Expect(page.Locator(".field-error[data-field='joinedSchoolOn']")).ToHaveTextAsync("日期格式应为 YYYY-MM-DD（如 2019-09-01）");
        await Assertions.Expect(page.Locator(".field-error[data-field='birthYear']")).ToHaveTextAsync("出生年份应为 1900 至 2100 之间的四位数字");
        await Assertions.Expect(page.Locator(".field-error[data-field='name']")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("teacher-name")).ToHaveValueAsync("周晓明");
        await Assertions.Expect(page.GetByTestId("teacher-joined")).ToHaveValueAsync("2016年9月");
        await Assertions.Expect(page.GetByTestId("teacher-birth-year")).ToHaveValueAsync("八五年");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/org/users/{id}/edit$"));
        await session.ScreenshotAsync("teacher-edit-errors");
        var unchanged = await session.GetAsync($"/api/org/users/{id}");
        Assert.Equal("周明", unchanged!["name"]!.ToString());
        Assert.Equal(email, unchanged["email"]!.ToString());

        // Corrected: another school, backbone, a birth year; the list shows the teacher as edited.
        await page.GetByTestId("teacher-email").FillAsync(email);
        await page.GetByTestId("teacher-joined").FillAsync("2021-09-01");
        await page.GetByTestId("teacher-birth-year").FillAsync("1985");
        await page.SelectAsync(page.GetByTestId("teacher-school"), "青山镇石桥小学");
        await page.GetByTestId("teacher-backbone").ClickAsync();
        await page.GetByTestId("teacher-save").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/org\\?q=zhouming"));
        var edited = page.GetByTestId("org-users").Locator("tr").Filter(new() { HasText = "周晓明" });
        await Assertions.Expect(edited).ToContainTextAsync("青山镇石桥小学");
        await Assertions.Expect(edited).ToContainTextAsync("骨干");
        await Assertions.Expect(edited).ToContainTextAsync("教师");
        await session.ScreenshotAsync("teacher-edited");
        var saved = await session.GetAsync($"/api/org/users/{id}");
        Assert.Equal("2021-09-01", saved!["joinedSchoolOn"]!.ToString());
        Assert.Equal(1985, saved["birthYear"]!.GetValue<int>());
        Assert.Equal("Teacher@school-2-3", $"{saved["roles"]![0]!["role"]}@{saved["roles"]![0]!["scopeId"]}");
        session.AssertClean();
    }
}
