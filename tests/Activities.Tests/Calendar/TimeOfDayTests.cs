using Workflows.Activities.Calendar;

namespace Workflows.Activities.Tests.Calendar;

public sealed class TimeOfDayTests
{
    private readonly WorkingDayCalendar _calendar = CalendarFolders.LoadCommitted();
    private static readonly TimeZoneInfo Shanghai = ChinaStandardTime.Zone;

    private static DateTimeOffset Utc(string iso) =>
        DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void A_task_opened_at_half_past_nine_in_Shanghai_is_due_at_half_past_nine_after_National_Day()
    {
        // Wednesday 30 Sep 2026, 09:30 CST.
        var due = _calendar.AddWorkingDays(Utc("2026-09-30T01:30:00Z"), 1, Shanghai);

        Assert.Equal(Utc("2026-10-08T01:30:00Z"), due);
        Assert.Equal(TimeSpan.Zero, due.Offset);
        Assert.Equal(new DateTime(2026, 10, 8, 9, 30, 0), TimeZoneInfo.ConvertTime(due, Shanghai).DateTime);
    }

    [Fact]
    public void The_working_day_is_taken_in_Shanghai_even_when_the_UTC_date_is_the_day_before()
    {
        // 16:30 UTC on Friday 13 Feb is 00:30 on Saturday 14 Feb in Shanghai, a make-up
        // working day; one working day later is Tuesday 24 Feb, still at 00:30 CST.
        var due = _calendar.AddWorkingDays(Utc("2026-02-13T16:30:00Z"), 1, Shanghai);

        Assert.Equal(Utc("2026-02-23T16:30:00Z"), due);
    }

    [Fact]
    public void Zero_working_days_from_a_holiday_morning_moves_to_the_next_working_morning() =>
        Assert.Equal(
            Utc("2026-10-07T23:30:00Z"),
            _calendar.AddWorkingDays(Utc("2026-09-30T23:30:00Z"), 0, Shanghai));

    [Fact]
    public void China_Standard_Time_is_eight_hours_ahead_of_UTC_all_year()
    {
        Assert.Equal(TimeSpan.FromHours(8), Shanghai.GetUtcOffset(new DateTime(2026, 1, 15)));
        Assert.Equal(TimeSpan.FromHours(8), Shanghai.GetUtcOffset(new DateTime(2026, 7, 15)));
    }
}
