using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Host.Api;

namespace Workflows.Host.Features.Processes;

/// <summary>Optional fields of a JSON request body, each refused with a ProblemDetails naming it when it has the wrong shape.</summary>
internal sealed class RequestFields(JsonObject body)
{
    public IResult? Error { get; private set; }

    public int? Int(string name, int min, int max)
    {
        if (Error is not null || body[name] is not { } node || node.GetValueKind() == JsonValueKind.Null) return null;
        if (node is JsonValue v && v.TryGetValue<double>(out var d) && d == Math.Floor(d) && d >= min && d <= max) return (int)d;
        Fail(name, $"{name} 须为 {min}–{max} 之间的整数 / {name} must be a whole number from {min} to {max}.");
        return null;
    }

    public double? Double(string name, double min, double max)
    {
        if (Error is not null || body[name] is not { } node || node.GetValueKind() == JsonValueKind.Null) return null;
        if (node is JsonValue v && v.TryGetValue<double>(out var d) && d >= min && d <= max) return d;
        Fail(name, $"{name} 须为 {min}–{max} 之间的数 / {name} must be a number from {min} to {max}.");
        return null;
    }

    public string? Text(string name, int maxLength = 200)
    {
        if (Error is not null || body[name] is not { } node || node.GetValueKind() == JsonValueKind.Null) return null;
        if (node is JsonValue v && v.TryGetValue<string>(out var s) && s.Trim().Length <= maxLength)
            return s.Trim().Length == 0 ? null : s.Trim();
        Fail(name, $"{name} 须为不超过 {maxLength} 字的文本 / {name} must be text of at most {maxLength} characters.");
        return null;
    }

    public DateOnly? Date(string name)
    {
        if (Text(name) is not { } s) return null;
        if (DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        Fail(name, $"{name} 须为日期 yyyy-MM-dd / {name} must be a date (yyyy-MM-dd).");
        return null;
    }

    public DateTimeOffset? Moment(string name)
    {
        if (Text(name) is not { } s) return null;
        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) && s.Contains('T')) return at;
        Fail(name, $"{name} 须为带时区的时间，如 2027-07-01T09:00:00+08:00 / {name} must be an ISO date-time with an offset.");
        return null;
    }

    public JsonArray? Array(string name)
    {
        if (Error is not null || body[name] is not { } node || node.GetValueKind() == JsonValueKind.Null) return null;
        if (node is JsonArray a) return a;
        Fail(name, $"{name} 须为列表 / {name} must be an array.");
        return null;
    }

    public void Fail(string name, string message) => Error ??= ProblemResults.Validation(name, message);
}
