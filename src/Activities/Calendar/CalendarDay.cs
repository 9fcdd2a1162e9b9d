namespace Workflows.Activities.Calendar;

/// <summary>A day that differs from an ordinary Monday–Friday week.</summary>
/// <param name="Name">What users see as the reason, e.g. 国庆节 or 暴雨停课.</param>
public sealed record CalendarDay(DateOnly Date, CalendarDayKind Kind, string Name);

/// <summary>
/// A day set by an administrator (e.g. a county's weather closure); it wins over
/// every calendar file.
/// </summary>
public sealed record CalendarOverride(DateOnly Date, CalendarDayKind Kind, string Reason);
