using Workflows.Activities.Calendar;

namespace Workflows.Activities.Tests.Calendar;

public sealed class ArithmeticRulesTests
{
    private readonly WorkingDayCalendar _calendar = CalendarFolders.LoadCommitted();

    private static DateOnly D(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Zero_working_days_is_the_same_day_if_worked_otherwise_the_next_working_day()
    {
        Assert.Equal(D("2026-09-30"), _calendar.AddWorkingDays(D("2026-09-30"), 0));
        Assert.Equal(D("2026-10-08"), _calendar.AddWorkingDays(D("2026-10-01"), 0));
        Assert.Equal(D("2026-09-20"), _calendar.AddWorkingDays(D("2026-09-19"), 0));
    }

    [Fact]
    public void Negative_working_days_count_backwards_across_New_Year()
    {
        Assert.Equal(D("2025-12-29"), _calendar.AddWorkingDays(D("2026-01-06"), -5));
        Assert.Equal(D("2026-09-30"), _calendar.AddWorkingDays(D("2026-10-08"), -1));
        Assert.Equal(D("2026-09-30"), _calendar.AddWorkingDays(D("2026-10-05"), -1));
    }

    [Fact]
    public void Counting_with_the_dates_reversed_gives_a_negative_number()
    {
        Assert.Equal(-5, _calendar.CountWorkingDays(D("2026-01-06"), D("2025-12-29")));
        Assert.Equal(0, _calendar.CountWorkingDays(D("2026-10-01"), D("2026-10-01")));
        Assert.Equal(0, _calendar.CountWorkingDays(D("2026-10-01"), D("2026-10-07")));
    }

    [Fact]
    public void Counting_the_days_just_added_gives_the_number_added_on_every_start_date_of_2024_to_2026()
    {
        for (var from = D("2023-12-25"); from <= D("2026-12-24"); from = from.AddDays(1))
        {
            foreach (var n in new[] { 1, 2, 5, 10, 15 })
            {
                var due = _calendar.AddWorkingDays(from, n);
                Assert.True(_calendar.IsWorkingDay(due), $"{from} + {n} = {due} is not a working day");
                Assert.Equal(n, _calendar.CountWorkingDays(from, due));
                Assert.Equal(n - 1, _calendar.CountWorkingDays(from, due.AddDays(-1)));
                if (_calendar.IsWorkingDay(from))
                    Assert.Equal(from, _calendar.AddWorkingDays(due, -n));
            }
        }
    }
}
