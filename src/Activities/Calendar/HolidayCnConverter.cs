using System.Globalization;
using System.Text.Json;

namespace Workflows.Activities.Calendar;

/// <summary>
/// Turns one holiday-cn file (the State Council's notice for a year, as collected in
/// ../shared/data/holidays-cn) into our calendar format, so a new year's notice is
/// added by converting its file, not by editing code.
/// </summary>
public static class HolidayCnConverter
{
    public const string Region = "cn";

    /// <returns>The text of definitions/calendars/cn-{year}.json.</returns>
    /// <exception cref="FormatException">The input is not a holiday-cn year file.</exception>
    public static string Convert(string holidayCnJson) => CalendarFileJson.Write(ToCalendarFile(holidayCnJson));

    public static string FileNameFor(int year) => $"{Region}-{year.ToString(CultureInfo.InvariantCulture)}.json";

    public static CalendarFile ToCalendarFile(string holidayCnJson)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(holidayCnJson); }
        catch (JsonException ex) { throw new FormatException($"Not valid JSON: {ex.Message}", ex); }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("year", out var y) || y.ValueKind != JsonValueKind.Number || !y.TryGetInt32(out var year)
                || !root.TryGetProperty("days", out var days) || days.ValueKind != JsonValueKind.Array)
                throw new FormatException("A holiday-cn file needs a numeric \"year\" and a \"days\" array.");

            var papers = root.TryGetProperty("papers", out var p) && p.ValueKind == JsonValueKind.Array
                ? p.EnumerateArray().Select(e => e.GetString() ?? "").Where(s => s.Length > 0).ToList()
                : [];
            var converted = days.EnumerateArray().Select((d, i) => Day(d, i)).OrderBy(d => d.Date).ToList();
            var file = new CalendarFile(Region, year, papers, converted);

            // Reading our own output back applies the same checks (duplicates, years)
            // that loading the committed file will, so a bad notice fails here first.
            return CalendarFileJson.Read(CalendarFileJson.Write(file));
        }
    }

    private static CalendarDay Day(JsonElement day, int index)
    {
        if (day.ValueKind == JsonValueKind.Object
            && day.TryGetProperty("date", out var date) && date.ValueKind == JsonValueKind.String
            && DateOnly.TryParseExact(date.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var parsed)
            && day.TryGetProperty("isOffDay", out var off) && off.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            var name = day.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "";
            return new CalendarDay(parsed, off.GetBoolean() ? CalendarDayKind.Holiday : CalendarDayKind.Workday, name);
        }
        throw new FormatException($"days[{index}] needs a yyyy-MM-dd \"date\" and a boolean \"isOffDay\".");
    }
}
