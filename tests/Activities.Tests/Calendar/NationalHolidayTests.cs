using Workflows.Activities.Calendar;

namespace Workflows.Activities.Tests.Calendar;

// Dates checked against ../shared/data/holidays-cn (the State Council notices).
public sealed class NationalHolidayTests
{
    private readonly WorkingDayCalendar _calendar = CalendarFolders.LoadCommitted();

    private static DateOnly D(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2026-09-25"), InlineData("2026-09-26"), InlineData("2026-09-27")]
    [InlineData("2026-10-01"), InlineData("2026-10-02"), InlineData("2026-10-03"), InlineData("2026-10-04")]
    [InlineData("2026-10-05"), InlineData("2026-10-06"), InlineData("2026-10-07")]
    public void Mid_Autumn_and_National_Day_2026_are_days_off(string date) =>
        Assert.False(_calendar.IsWorkingDay(D(date)));

    [Fact]
    public void Sunday_20_September_and_Saturday_10_October_2026_are_worked()
    {
        Assert.True(_calendar.IsWorkingDay(D("2026-09-20")));
        Assert.True(_calendar.IsWorkingDay(D("2026-10-10")));
        Assert.Equal(CalendarDayKind.Workday, _calendar.FindDay(D("2026-10-10"))?.Kind);
        Assert.Equal("国庆节", _calendar.FindDay(D("2026-10-10"))?.Name);
    }

    [Fact]
    public void Adding_five_working_days_from_24_September_2026_skips_Mid_Autumn_and_National_Day()
    {
        // 28, 29, 30 Sep, then 8 and 9 Oct.
        Assert.Equal(D("2026-10-09"), _calendar.AddWorkingDays(D("2026-09-24"), 5));
        Assert.Equal(D("2026-10-10"), _calendar.AddWorkingDays(D("2026-09-24"), 6));
        Assert.Equal(6, _calendar.CountWorkingDays(D("2026-09-24"), D("2026-10-10")));
    }

    [Fact]
    public void One_working_day_after_Friday_18_September_2026_is_the_make_up_Sunday() =>
        Assert.Equal(D("2026-09-20"), _calendar.AddWorkingDays(D("2026-09-18"), 1));

    [Fact]
    public void Spring_Festival_2026_is_off_from_15_to_23_February_and_the_14th_and_28th_are_worked()
    {
        for (var day = D("2026-02-15"); day <= D("2026-02-23"); day = day.AddDays(1))
            Assert.False(_calendar.IsWorkingDay(day), $"{day} should be off");
        Assert.True(_calendar.IsWorkingDay(D("2026-02-14")));
        Assert.True(_calendar.IsWorkingDay(D("2026-02-28")));
        Assert.Equal(DayOfWeek.Saturday, D("2026-02-14").DayOfWeek);
        Assert.Equal(DayOfWeek.Saturday, D("2026-02-28").DayOfWeek);
    }

    [Fact]
    public void Two_working_days_after_Friday_13_February_2026_is_the_Tuesday_after_Spring_Festival()
    {
        Assert.Equal(D("2026-02-14"), _calendar.AddWorkingDays(D("2026-02-13"), 1));
        Assert.Equal(D("2026-02-24"), _calendar.AddWorkingDays(D("2026-02-13"), 2));
        // 14, 24, 25, 26, 27 and 28 February; Sunday 1 March is not worked.
        Assert.Equal(6, _calendar.CountWorkingDays(D("2026-02-13"), D("2026-03-01")));
    }

    [Fact]
    public void Adding_five_working_days_from_29_December_2025_crosses_New_Year_2026()
    {
        // 30 and 31 Dec, Sunday 4 Jan (worked for 元旦), 5 and 6 Jan; 1–3 Jan are off.
        Assert.Equal(D("2026-01-06"), _calendar.AddWorkingDays(D("2025-12-29"), 5));
        Assert.Equal(5, _calendar.CountWorkingDays(D("2025-12-29"), D("2026-01-06")));
        Assert.Empty(_calendar.MissingYears(D("2025-12-29"), D("2026-01-06")));
    }

    [Fact]
    public void The_committed_calendars_cover_2024_to_2026() =>
        Assert.Equal([2024, 2025, 2026], _calendar.CoveredYears);
}
