using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Workflows.Activities.Calendar;

/// <summary>Reads and writes the calendar format described in definitions/calendars/README.md.</summary>
public static class CalendarFileJson
{
    private const string DateFormat = "yyyy-MM-dd";

    // Administrators read and edit these files, so names stay as 汉字, not \uXXXX escapes.
    private static readonly JsonSerializerOptions StringOptions =
        new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <exception cref="FormatException">The text is not a valid calendar file; the message says where.</exception>
    public static CalendarFile Read(string json)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(json); }
        catch (JsonException ex) { throw new FormatException($"Not valid JSON: {ex.Message}", ex); }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new FormatException("A calendar file must be a JSON object.");
            var region = Text(root, "region", "");
            var year = Year(root);
            var sources = root.TryGetProperty("sources", out var s) && s.ValueKind == JsonValueKind.Array
                ? s.EnumerateArray().Select(e => e.GetString() ?? "").ToList()
                : [];
            if (!root.TryGetProperty("days", out var days) || days.ValueKind != JsonValueKind.Array)
                throw new FormatException("\"days\" must be an array.");

            var list = days.EnumerateArray().Select((d, i) => Day(d, i, year)).ToList();
            var duplicate = list.GroupBy(d => d.Date).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
                throw new FormatException($"{duplicate.Key:yyyy-MM-dd} is listed more than once.");
            return new CalendarFile(region, year, sources, list);
        }
    }

    /// <summary>Days one per line and sorted, so a new notice shows up as a readable diff.</summary>
    public static string Write(CalendarFile file)
    {
        var sb = new StringBuilder();
        sb.Append("{\n");
        sb.Append("  \"region\": ").Append(Quote(file.Region)).Append(",\n");
        sb.Append("  \"year\": ").Append(file.Year.ToString(CultureInfo.InvariantCulture)).Append(",\n");
        sb.Append("  \"sources\": [").Append(string.Join(", ", file.Sources.Select(Quote))).Append("],\n");
        sb.Append("  \"days\": [\n");
        var days = file.Days.OrderBy(d => d.Date).ToList();
        for (var i = 0; i < days.Count; i++)
        {
            var d = days[i];
            sb.Append("    { \"date\": \"").Append(d.Date.ToString(DateFormat, CultureInfo.InvariantCulture))
              .Append("\", \"kind\": \"").Append(d.Kind.ToText())
              .Append("\", \"name\": ").Append(Quote(d.Name))
              .Append(i < days.Count - 1 ? " },\n" : " }\n");
        }
        sb.Append("  ]\n}\n");
        return sb.ToString();
    }

    private static string Quote(string value) => JsonSerializer.Serialize(value, StringOptions);

    private static int Year(JsonElement root)
    {
        if (root.TryGetProperty("year", out var y) && y.ValueKind == JsonValueKind.Number
            && y.TryGetInt32(out var year) && year is >= 1900 and <= 9999)
            return year;
        throw new FormatException("\"year\" must be a four-digit number.");
    }

    private static CalendarDay Day(JsonElement day, int index, int year)
    {
        var where = $"days[{index}]";
        var text = Text(day, "date", where);
        if (!DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            throw new FormatException($"{where}: date \"{text}\" is not yyyy-MM-dd.");
        // A notice for year Y may move days in late December of Y-1, never further.
        if (date.Year != year && date.Year != year - 1)
            throw new FormatException($"{where}: {text} cannot belong to the notice for {year}.");
        CalendarDayKind kind;
        try { kind = CalendarDayKindText.Parse(Text(day, "kind", where)); }
        catch (FormatException ex) { throw new FormatException($"{where}: {ex.Message}", ex); }
        var name = day.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "";
        return new CalendarDay(date, kind, name);
    }

    private static string Text(JsonElement element, string property, string where)
    {
        if (element.ValueKind == JsonValueKind.Object
            && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String)
            return value.GetString()!;
        var prefix = where.Length > 0 ? where + ": " : "";
        throw new FormatException($"{prefix}\"{property}\" must be a string.");
    }
}
