using Workflows.Activities.Calendar;

namespace Workflows.Activities.Tests.Calendar;

public sealed class FallbackAndOverrideTests
{
    private static DateOnly D(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void A_year_without_data_falls_back_to_Monday_to_Friday_and_says_so()
    {
        var log = new ListLogger();
        var calendar = CalendarFolders.LoadCommitted(logger: log);

        // 1–4 Oct 2030 are weekdays; without a notice they count as working days.
        Assert.True(calendar.IsWorkingDay(D("2030-10-01")));
        Assert.False(calendar.IsWorkingDay(D("2030-10-05")));
        Assert.Equal(D("2030-10-07"), calendar.AddWorkingDays(D("2030-09-30"), 5));

        Assert.Equal([2030], calendar.MissingYears(D("2030-09-30"), D("2030-10-07")));
        var warning = Assert.Single(log.Warnings);
        Assert.Contains("2030", warning);
        Assert.Contains("Monday–Friday", warning);
    }

    [Fact]
    public void A_deadline_running_into_a_year_without_data_reports_that_year()
    {
        var calendar = CalendarFolders.LoadCommitted();
        Assert.Equal([2027], calendar.MissingYears(D("2026-12-28"), D("2027-01-08")));
        Assert.Equal([2027, 2028], calendar.MissingYears(D("2028-01-03"), D("2026-12-01")));
        Assert.Empty(calendar.MissingYears(D("2024-01-01"), D("2026-12-31")));
    }

    [Fact]
    public void A_weather_closure_on_a_Wednesday_shifts_the_deadline_by_a_day()
    {
        var closure = new CalendarOverride(D("2026-06-10"), CalendarDayKind.Holiday, "暴雨停课");
        var normal = CalendarFolders.LoadCommitted();
        var closed = CalendarFolders.LoadCommitted([closure]);

        Assert.Equal(DayOfWeek.Wednesday, closure.Date.DayOfWeek);
        Assert.Equal(D("2026-06-11"), normal.AddWorkingDays(D("2026-06-08"), 3));
        Assert.Equal(D("2026-06-12"), closed.AddWorkingDays(D("2026-06-08"), 3));
        Assert.False(closed.IsWorkingDay(closure.Date));
        Assert.Equal("暴雨停课", closed.FindDay(closure.Date)?.Name);
    }

    [Fact]
    public void An_administrator_override_wins_over_the_national_calendar()
    {
        var worked = new CalendarOverride(D("2026-10-07"), CalendarDayKind.Workday, "县里安排补课");
        var calendar = CalendarFolders.LoadCommitted([worked]);

        Assert.True(calendar.IsWorkingDay(D("2026-10-07")));
        Assert.Equal(D("2026-10-07"), calendar.AddWorkingDays(D("2026-09-30"), 1));
    }
}
