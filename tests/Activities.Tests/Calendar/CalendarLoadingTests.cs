using Workflows.Activities.Calendar;

namespace Workflows.Activities.Tests.Calendar;

public sealed class CalendarLoadingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("calendars-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static DateOnly D(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    private static CalendarFile Notice(int year, params CalendarDay[] days) => new("cn", year, [], days);

    [Fact]
    public void A_December_day_filed_in_next_years_notice_is_applied_and_wins()
    {
        // As with 元旦 2019: the notice for 2019 moved 29–31 Dec 2018.
        var notice2018 = Notice(2018, new CalendarDay(D("2018-12-31"), CalendarDayKind.Workday, "stale"));
        var notice2019 = Notice(2019,
            new CalendarDay(D("2018-12-29"), CalendarDayKind.Workday, "元旦"),
            new CalendarDay(D("2018-12-31"), CalendarDayKind.Holiday, "元旦"),
            new CalendarDay(D("2019-01-01"), CalendarDayKind.Holiday, "元旦"));

        var calendar = new WorkingDayCalendar([notice2019, notice2018]);

        Assert.True(calendar.IsWorkingDay(D("2018-12-29")));
        Assert.False(calendar.IsWorkingDay(D("2018-12-31")));
        Assert.Equal(D("2019-01-02"), calendar.AddWorkingDays(D("2018-12-28"), 2));
    }

    [Fact]
    public void A_new_years_file_dropped_into_the_folder_is_loaded_without_a_release()
    {
        foreach (var path in Directory.EnumerateFiles(CalendarFolders.Calendars, "*.json"))
            File.Copy(path, Path.Combine(_folder, Path.GetFileName(path)));
        File.WriteAllText(Path.Combine(_folder, "cn-2027.json"), CalendarFileJson.Write(
            Notice(2027, new CalendarDay(D("2027-01-01"), CalendarDayKind.Holiday, "元旦"))));

        var calendar = WorkingDayCalendar.LoadFolder(_folder);

        Assert.Equal([2024, 2025, 2026, 2027], calendar.CoveredYears);
        Assert.Empty(calendar.MissingYears(D("2026-12-28"), D("2027-01-08")));
        Assert.False(calendar.IsWorkingDay(D("2027-01-01")));
    }

    [Theory]
    [InlineData("""{ "region": "cn", "year": 2027, "days": [ { "date": "2027-02-30", "kind": "holiday" } ] }""", "days[0]")]
    [InlineData("""{ "region": "cn", "year": 2027, "days": [ { "date": "2027-02-01", "kind": "off" } ] }""", "kind")]
    [InlineData("""{ "region": "cn", "year": 2027, "days": [ { "date": "2029-02-01", "kind": "holiday" } ] }""", "2029-02-01")]
    [InlineData("""{ "region": "cn", "year": 2027 }""", "days")]
    [InlineData("""{ "region": "cn", "year": 2027, "days": [ """, "JSON")]
    public void A_malformed_calendar_file_is_rejected_with_its_path_and_the_reason(string json, string reason)
    {
        File.WriteAllText(Path.Combine(_folder, "cn-2027.json"), json);

        var error = Assert.Throws<InvalidDataException>(() => WorkingDayCalendar.LoadFolder(_folder));

        Assert.Contains("cn-2027.json", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Two_files_for_the_same_year_are_rejected()
    {
        var text = CalendarFileJson.Write(Notice(2027));
        File.WriteAllText(Path.Combine(_folder, "cn-2027.json"), text);
        File.WriteAllText(Path.Combine(_folder, "cn-2027-copy.json"), text);

        var error = Assert.Throws<InvalidDataException>(() => WorkingDayCalendar.LoadFolder(_folder));
        Assert.Contains("both for 2027", error.Message);
    }

    [Fact]
    public void A_missing_folder_is_an_error_rather_than_an_empty_calendar() =>
        Assert.Throws<DirectoryNotFoundException>(() => WorkingDayCalendar.LoadFolder(Path.Combine(_folder, "nope")));

    [Fact]
    public void Files_of_different_regions_cannot_be_mixed() =>
        Assert.Throws<ArgumentException>(() => new WorkingDayCalendar([Notice(2026), new CalendarFile("hk", 2026, [], [])]));
}
