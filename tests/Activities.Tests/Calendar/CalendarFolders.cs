using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Workflows.Activities.Calendar;

namespace Workflows.Activities.Tests.Calendar;

/// <summary>Where the committed calendars and the shared source data live.</summary>
internal static class CalendarFolders
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Calendars => Path.Combine(RepoRoot, "definitions", "calendars");

    // shared/ sits beside the repository, both on developer machines and in CI.
    public static string HolidayCn => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data", "holidays-cn"));

    public static WorkingDayCalendar LoadCommitted(
        IEnumerable<CalendarOverride>? overrides = null, ILogger? logger = null) =>
        WorkingDayCalendar.LoadFolder(Calendars, overrides, logger);

    private static string FindRepoRoot([CallerFilePath] string sourceFile = "")
    {
        // The build output is normally inside the repository; the source path is the
        // fallback when tests run from a copied output folder.
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "" })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Workflows.sln")))
                    return dir.FullName;
            }
        }
        throw new InvalidOperationException("Cannot find Workflows.sln above the test output or source.");
    }
}
