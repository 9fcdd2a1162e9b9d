namespace Workflows.Activities.Calendar;

// Two kinds are enough: a listed day either has no work (a statutory holiday, a
// weekday moved into a holiday, or a county's own closure) or is worked although
// it falls on a weekend (调休上班). Unlisted days follow Monday–Friday.
public enum CalendarDayKind
{
    Holiday,
    Workday,
}

internal static class CalendarDayKindText
{
    public const string Holiday = "holiday";
    public const string Workday = "workday";

    public static string ToText(this CalendarDayKind kind) =>
        kind == CalendarDayKind.Holiday ? Holiday : Workday;

    public static CalendarDayKind Parse(string? text) => text switch
    {
        Holiday => CalendarDayKind.Holiday,
        Workday => CalendarDayKind.Workday,
        _ => throw new FormatException(
            $"kind must be \"{Holiday}\" or \"{Workday}\", not \"{text}\"."),
    };
}
