using Workflows.Activities.Calendar;

namespace Workflows.Activities.Tests.Calendar;

public sealed class HolidayCnConverterTests
{
    // Set to 1 to rewrite definitions/calendars from ../shared/data/holidays-cn instead of comparing.
    private const string RegenerateVariable = "WORKFLOWS_REGENERATE_CALENDARS";

    [Fact]
    public void A_holiday_cn_year_becomes_a_sorted_calendar_file_with_its_sources()
    {
        const string input = """
            { "year": 2027, "papers": ["https://example.gov.cn/notice"],
              "days": [
                { "name": "春节", "date": "2027-02-20", "isOffDay": false },
                { "name": "元旦", "date": "2027-01-01", "isOffDay": true },
                { "name": "元旦", "date": "2026-12-31", "isOffDay": true } ] }
            """;

        Assert.Equal("""
            {
              "region": "cn",
              "year": 2027,
              "sources": ["https://example.gov.cn/notice"],
              "days": [
                { "date": "2026-12-31", "kind": "holiday", "name": "元旦" },
                { "date": "2027-01-01", "kind": "holiday", "name": "元旦" },
                { "date": "2027-02-20", "kind": "workday", "name": "春节" }
              ]
            }

            """.ReplaceLineEndings("\n"), HolidayCnConverter.Convert(input));
    }

    [Theory]
    [InlineData("""{ "year": 2027, "days": [ { "date": "2027-01-01" } ] }""")]
    [InlineData("""{ "year": 2027, "days": [ { "date": "1 Jan 2027", "isOffDay": true } ] }""")]
    [InlineData("""{ "year": "2027", "days": [] }""")]
    [InlineData("""{ "year": 2027, "days": [ { "date": "2027-01-01", "isOffDay": true }, { "date": "2027-01-01", "isOffDay": false } ] }""")]
    [InlineData("[]")]
    public void Input_that_is_not_a_holiday_cn_year_is_rejected(string input) =>
        Assert.Throws<FormatException>(() => HolidayCnConverter.Convert(input));

    [Fact]
    public void Committed_calendars_equal_a_fresh_conversion_of_the_shared_holiday_data()
    {
        Assert.SkipUnless(Directory.Exists(CalendarFolders.HolidayCn), $"{CalendarFolders.HolidayCn} is not here.");
        var regenerate = Environment.GetEnvironmentVariable(RegenerateVariable) == "1";
        var sources = Directory.GetFiles(CalendarFolders.HolidayCn, "*.json");
        Assert.NotEmpty(sources);

        foreach (var source in sources)
        {
            var converted = HolidayCnConverter.Convert(File.ReadAllText(source));
            var year = CalendarFileJson.Read(converted).Year;
            var committed = Path.Combine(CalendarFolders.Calendars, HolidayCnConverter.FileNameFor(year));
            if (regenerate)
                File.WriteAllText(committed, converted);
            else
                Assert.Equal(converted, File.ReadAllText(committed).ReplaceLineEndings("\n"));
        }
    }

    [Fact]
    public void Every_committed_calendar_reads_back_to_the_same_text()
    {
        foreach (var path in Directory.GetFiles(CalendarFolders.Calendars, "*.json"))
        {
            var text = File.ReadAllText(path).ReplaceLineEndings("\n");
            Assert.Equal(text, CalendarFileJson.Write(CalendarFileJson.Read(text)));
        }
    }
}
