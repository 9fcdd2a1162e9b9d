using Microsoft.Extensions.Logging;

namespace Workflows.Activities.Calendar;

public sealed partial class WorkingDayCalendar
{
    /// <summary>
    /// Reads every *.json in <paramref name="folder"/> (e.g. definitions/calendars), so a
    /// new year is added by dropping in its file, without a release.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, or two files claim the same year.</exception>
    public static WorkingDayCalendar LoadFolder(
        string folder,
        IEnumerable<CalendarOverride>? overrides = null,
        ILogger? logger = null)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Working-day calendar folder not found: {folder}");

        var files = new List<CalendarFile>();
        var pathByYear = new Dictionary<int, string>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            CalendarFile file;
            try { file = CalendarFileJson.Read(File.ReadAllText(path)); }
            catch (FormatException ex) { throw new InvalidDataException($"{path}: {ex.Message}", ex); }

            // Silently merging two versions of one notice would hide which one is in force.
            if (!pathByYear.TryAdd(file.Year, path))
                throw new InvalidDataException($"{path} and {pathByYear[file.Year]} are both for {file.Year}.");
            files.Add(file);
        }
        return new WorkingDayCalendar(files, overrides, logger);
    }
}
