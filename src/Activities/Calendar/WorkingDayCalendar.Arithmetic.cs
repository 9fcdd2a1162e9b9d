namespace Workflows.Activities.Calendar;

public sealed partial class WorkingDayCalendar
{
    /// <summary>
    /// The date <paramref name="days"/> working days after <paramref name="from"/>, not
    /// counting <paramref name="from"/> itself (so "answer within 5 working days" of a
    /// Friday request ends on the following Friday). Negative counts go backwards the
    /// same way. Zero means the first working day on or after <paramref name="from"/>.
    /// </summary>
    public DateOnly AddWorkingDays(DateOnly from, int days)
    {
        var date = from;
        if (days == 0)
        {
            while (!IsWorkingDay(date))
                date = date.AddDays(1);
            return date;
        }

        var step = days > 0 ? 1 : -1;
        for (var remaining = Math.Abs((long)days); remaining > 0;)
        {
            date = date.AddDays(step);
            if (IsWorkingDay(date))
                remaining--;
        }
        return date;
    }

    /// <summary>
    /// Working days in (fromExclusive, toInclusive], so that
    /// CountWorkingDays(d, AddWorkingDays(d, n)) == n for n &gt; 0. When the dates are
    /// reversed the result is negative (e.g. how many working days a task is overdue).
    /// </summary>
    public int CountWorkingDays(DateOnly fromExclusive, DateOnly toInclusive)
    {
        if (toInclusive < fromExclusive)
            return -CountWorkingDays(toInclusive, fromExclusive);

        var count = 0;
        for (var date = fromExclusive.AddDays(1); date <= toInclusive; date = date.AddDays(1))
        {
            if (IsWorkingDay(date))
                count++;
        }
        return count;
    }

    /// <summary>
    /// Moves an instant by working days as people in <paramref name="zone"/> see them:
    /// the calendar date is taken in that zone (09:00 CST is still the previous day in
    /// UTC) and the wall-clock time is kept. Returned in UTC, as instants are stored.
    /// </summary>
    public DateTimeOffset AddWorkingDays(DateTimeOffset instantUtc, int days, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(instantUtc, zone);
        var target = AddWorkingDays(DateOnly.FromDateTime(local.DateTime), days)
            .ToDateTime(TimeOnly.FromTimeSpan(local.TimeOfDay));

        // China has no daylight saving; in a zone that does, a wall-clock time that
        // does not exist on the target day moves past the gap instead of throwing.
        if (zone.IsInvalidTime(target))
            target = target.AddHours(1);
        return new DateTimeOffset(target, zone.GetUtcOffset(target)).ToUniversalTime();
    }
}
