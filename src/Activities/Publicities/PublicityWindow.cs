using Workflows.Activities.Calendar;

namespace Workflows.Activities.Publicities;

/// <summary>
/// The publicity window (公示期) of N working days, in China Standard Time: it opens when the notice is published
/// (or at 00:00 of the first working day, when published on a rest day) and ends at 24:00 of its N-th working day;
/// the publication day counts when it is a working day. E.g. 5 working days published on Friday 2026-03-06 at 10:00:
/// 03-06, 03-09, 03-10, 03-11 and 03-12, so objections are accepted until 2026-03-13 00:00 (China).
/// </summary>
public static class PublicityWindow
{
    /// <returns>Start and end (exclusive) of the window, in UTC.</returns>
    public static (DateTimeOffset Start, DateTimeOffset End) Compute(WorkingDayCalendar calendar, DateTimeOffset publishedAt, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workingDays, 1);
        var zone = ChinaStandardTime.Zone;
        var local = TimeZoneInfo.ConvertTime(publishedAt, zone);
        var today = DateOnly.FromDateTime(local.DateTime);
        var firstDay = calendar.AddWorkingDays(today, 0); // today when it is a working day, else the next one
        var lastDay = calendar.AddWorkingDays(firstDay, workingDays - 1);
        var start = firstDay == today ? publishedAt.ToUniversalTime() : Midnight(firstDay, zone);
        return (start, Midnight(lastDay.AddDays(1), zone));
    }

    /// <summary>The last day of the window as people read it (the day before the exclusive end), in China.</summary>
    public static DateOnly LastDay(DateTimeOffset windowEnd) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(windowEnd, ChinaStandardTime.Zone).DateTime).AddDays(-1);

    private static DateTimeOffset Midnight(DateOnly day, TimeZoneInfo zone)
    {
        var at = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(at, zone.GetUtcOffset(at)).ToUniversalTime();
    }
}
