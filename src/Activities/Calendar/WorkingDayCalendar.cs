using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Workflows.Activities.Calendar;

/// <summary>
/// 工作日: Monday–Friday, minus the days the calendar files and administrators mark as
/// holidays, plus the weekend days they mark as worked (调休上班). Immutable: to pick up
/// a new year's file or a changed override, build a new instance and swap it in.
/// </summary>
public sealed partial class WorkingDayCalendar
{
    private readonly Dictionary<DateOnly, CalendarDay> _days = [];
    private readonly HashSet<int> _coveredYears = [];
    private readonly ConcurrentDictionary<int, bool> _warnedYears = new();
    private readonly ILogger _logger;

    /// <param name="files">Each year's notice; a later year's notice wins on a shared date.</param>
    /// <param name="overrides">Administrators' days; they win over every file (last one wins per date).</param>
    public WorkingDayCalendar(
        IEnumerable<CalendarFile> files,
        IEnumerable<CalendarOverride>? overrides = null,
        ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        var regions = new HashSet<string>(StringComparer.Ordinal);

        // A notice for year Y can move days in December of Y-1 (see holidays-cn README).
        // It is the later decision, so it is applied after Y-1's own notice.
        foreach (var file in files.OrderBy(f => f.Year))
        {
            regions.Add(file.Region);
            _coveredYears.Add(file.Year);
            foreach (var day in file.Days)
                _days[day.Date] = day;
        }
        if (regions.Count > 1)
            throw new ArgumentException(
                $"Calendar files mix regions ({string.Join(", ", regions.Order())}); keep one region per folder.",
                nameof(files));

        foreach (var o in overrides ?? [])
            _days[o.Date] = new CalendarDay(o.Date, o.Kind, o.Reason);

        CoveredYears = [.. _coveredYears.Order()];
        LogLoaded(_logger, string.Join(", ", CoveredYears));
    }

    /// <summary>Years that have a calendar file; any other year is counted Monday–Friday.</summary>
    public IReadOnlyList<int> CoveredYears { get; }

    public bool IsWorkingDay(DateOnly date)
    {
        if (!_coveredYears.Contains(date.Year))
            WarnOnce(date.Year);
        return _days.TryGetValue(date, out var day)
            ? day.Kind == CalendarDayKind.Workday
            : date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    /// <summary>The listed day (from a file or an override) with its name, or null for an ordinary day.</summary>
    public CalendarDay? FindDay(DateOnly date) => _days.GetValueOrDefault(date);

    /// <summary>
    /// Years between the two dates (inclusive, in either order) that have no calendar file,
    /// i.e. where a deadline was computed from Monday–Friday alone and may be wrong.
    /// Administrators should be shown these.
    /// </summary>
    public IReadOnlyList<int> MissingYears(DateOnly from, DateOnly to)
    {
        var (first, last) = from <= to ? (from.Year, to.Year) : (to.Year, from.Year);
        var missing = Enumerable.Range(first, last - first + 1).Where(y => !_coveredYears.Contains(y)).ToList();
        missing.ForEach(WarnOnce);
        return missing;
    }

    // Deadlines are computed in loops; one warning per year keeps the log readable.
    private void WarnOnce(int year)
    {
        if (_warnedYears.TryAdd(year, true))
            LogMissingYear(_logger, year);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Working-day calendar loaded for years {Years}")]
    private static partial void LogLoaded(ILogger logger, string years);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
        Message = "No working-day calendar for {Year}: counting Monday–Friday only. Add its calendar file to definitions/calendars.")]
    private static partial void LogMissingYear(ILogger logger, int year);
}
