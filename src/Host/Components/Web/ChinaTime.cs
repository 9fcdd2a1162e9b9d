using Workflows.Activities.Calendar;

namespace Workflows.Host.Components.Web;

/// <summary>Times are stored in UTC and shown in China Standard Time (Asia/Shanghai), whatever the server's zone.</summary>
public static class ChinaTime
{
    public static DateTimeOffset ToChina(DateTimeOffset utc) => TimeZoneInfo.ConvertTime(utc, ChinaStandardTime.Zone);

    public static string Format(DateTimeOffset? utc) => utc is { } t ? ToChina(t).ToString("yyyy-MM-dd HH:mm") : "—";

    public static string FormatDate(DateTimeOffset? utc) => utc is { } t ? ToChina(t).ToString("yyyy-MM-dd") : "—";

    /// <summary>Today's date in China.</summary>
    public static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(ToChina(time.GetUtcNow()).DateTime);
}
