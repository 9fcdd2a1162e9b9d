using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MiniExcelLibs;
using Workflows.Web.Tests.Support;

namespace Workflows.Web.Tests;

/// <summary>The bureau's dashboard: a chart and a table per federation and per school, and every table in the Excel export.</summary>
public sealed class DashboardTests(WebFixture web)
{
    private static readonly string[] FederationNames = ["城关教联体", "青山教联体", "河西教联体"];

    [Fact]
    public async Task Dashboard_ShowsChartsPerFederationAndSchool_WithData_OnDesktopAndPhone()
    {
        // A rotation batch in 河西 gives the charts their numbers: eligible teachers per federation and school.
        await using (var personnel = await web.OpenAsync(Demo.Personnel))
            await personnel.PostAsync("/api/processes/rotation/start", new { federationId = "fed-3" });

        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            await using var session = await web.OpenAsync(Demo.Personnel, width, height);
            var page = session.Page;
            await session.GoAsync("/dashboard");

            // 教联体 (the first tab): five charts, each with a bar group and a label per federation.
            var charts = page.GetByTestId("unit-charts").First;
            await Assertions.Expect(charts.Locator("[data-testid^='chart-']")).ToHaveCountAsync(5);
            var counts = charts.GetByTestId("chart-counts");
            await Assertions.Expect(counts.Locator("svg").First).ToBeVisibleAsync();
            foreach (var name in FederationNames)
                await Assertions.Expect(counts.Locator("svg text").Filter(new() { HasText = name })).ToHaveCountAsync(1);
            await Assertions.Expect(counts.GetByText("暂无数据")).ToHaveCountAsync(0);
            Assert.True(await TallestBarAsync(counts) > 1, "The eligible teachers of 河西 show as a bar.");
            // The rotation chart shows the 10% target beside each federation.
            var rotation = charts.GetByTestId("chart-rotation");
            await Assertions.Expect(rotation).ToContainTextAsync("交流轮岗比例");
            await Assertions.Expect(rotation.Locator("svg text").Filter(new() { HasText = "河西教联体" })).ToHaveCountAsync(1);
            Assert.True(await TallestBarAsync(rotation) > 1, "The 10% target shows as a bar.");
            await Assertions.Expect(page.GetByTestId("unit-table").First.Locator("tr").Filter(new() { HasText = "河西教联体" })).ToBeVisibleAsync();
            await session.ScreenshotAsync("dashboard-charts-federations");
            await AssertFitsAsync(page, width);

            // 学校: the same charts over the twelve schools.
            await page.GetByRole(AriaRole.Tab, new() { Name = "学校" }).ClickAsync();
            var schoolCharts = page.Locator(".mud-tabs-panels [data-testid='unit-charts']:visible");
            await Assertions.Expect(schoolCharts.GetByTestId("chart-counts").Locator("svg text").Filter(new() { HasText = "河西镇新华小学" })).ToHaveCountAsync(1);
            Assert.True(await TallestBarAsync(schoolCharts.GetByTestId("chart-counts")) > 1);
            await session.ScreenshotAsync("dashboard-charts-schools");
            await schoolCharts.GetByTestId("chart-counts").ScreenshotAsync(new() { Path = Path.Combine(WebFixture.Screenshots, $"dashboard-chart-schools-counts-{width}.png") });
            await AssertFitsAsync(page, width);

            // Overdue tasks (whom they wait on) and instances by stage are tables of their own.
            await page.GetByRole(AriaRole.Tab, new() { Name = "逾期任务" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("overdue-table")).ToContainTextAsync("办理人");
            await page.GetByRole(AriaRole.Tab, new() { Name = "流程阶段" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("stage-table")).ToContainTextAsync("当前环节");
            session.AssertClean();
        }

        // Every table is a sheet of the export.
        await using var export = await web.OpenAsync(Demo.Personnel);
        var response = await export.Context.APIRequest.GetAsync("/dashboard/export.xlsx");
        Assert.True(response.Ok, $"export: {response.Status}");
        using var workbook = new MemoryStream(await response.BodyAsync());
        Assert.Equal(["指标", "教联体", "学校", "逾期任务", "流程阶段", "流程统计"], MiniExcel.GetSheetNames(workbook));
        workbook.Position = 0;
        var federations = MiniExcel.Query(workbook, useHeaderRow: true, sheetName: "教联体").Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(FederationNames, federations.Select(r => r["教联体"]?.ToString()));
        Assert.Contains("交流轮岗比例（占符合条件教师）", federations[0].Keys);
        Assert.True(Convert.ToInt32(federations[2]["符合交流条件"]) > 0);
    }

    /// <summary>The height of the tallest bar a chart drew (its bars are SVG paths or rects below the axes).</summary>
    private static Task<double> TallestBarAsync(ILocator chart) => chart.EvaluateAsync<double>("""
        el => Math.max(0, ...[...el.querySelectorAll('svg .mud-chart-bar, svg rect.mud-chart-bar, svg path.mud-chart-bar')]
            .map(b => b.getBoundingClientRect().height))
        """);

    private static async Task AssertFitsAsync(IPage page, int width)
    {
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width + 1, $"The page is {scrollWidth}px wide in a {width}px window.");
    }
}
