namespace Workflows.Activities.Calendar;

/// <summary>China Standard Time (Asia/Shanghai), the zone deadlines are counted in.</summary>
public static class ChinaStandardTime
{
    public static TimeZoneInfo Zone { get; } = Find();

    private static TimeZoneInfo Find()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            // Slim containers may lack tzdata. China has kept UTC+8 without daylight
            // saving since 1991, so a fixed offset is exact for every date we schedule.
            return TimeZoneInfo.CreateCustomTimeZone(
                "Asia/Shanghai", TimeSpan.FromHours(8), "China Standard Time", "China Standard Time");
        }
    }
}
