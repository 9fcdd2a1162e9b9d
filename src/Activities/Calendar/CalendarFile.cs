namespace Workflows.Activities.Calendar;

/// <summary>
/// One year's notice in our own format (definitions/calendars/*.json). Year is the
/// year the notice is for; some of its days may lie in the year before.
/// </summary>
public sealed record CalendarFile(
    string Region,
    int Year,
    IReadOnlyList<string> Sources,
    IReadOnlyList<CalendarDay> Days);
