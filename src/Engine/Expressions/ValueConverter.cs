using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workflows.Engine.Expressions;

/// <summary>Converts values to the type an Elsa input or variable declares (its "typeName").</summary>
public static class ValueConverter
{
    public static JsonNode? Coerce(JsonNode? value, string? typeName)
    {
        if (value is null || typeName is null) return value;
        var kind = value.GetValueKind();
        switch (ShortName(typeName))
        {
            case "String":
                return kind == JsonValueKind.String ? value : JsonValue.Create(AsString(value));
            case "Int32" or "Int64" or "Int16" or "Byte" or "int" or "long":
                return AsDouble(value) is { } n ? JsonValue.Create((long)Math.Round(n)) : value;
            case "Double" or "Single" or "Decimal" or "double" or "float" or "decimal":
                return AsDouble(value) is { } d ? JsonValue.Create(d) : value;
            case "Boolean" or "bool":
                return kind is JsonValueKind.True or JsonValueKind.False ? value : JsonValue.Create(AsBool(value));
            case "Object" or "ExpandoObject" or "JsonObject" or "JsonNode":
                // Elsa keeps Object values given as JSON text as parsed JSON.
                return kind == JsonValueKind.String && LooksLikeJson(AsString(value)) ? TryParse(AsString(value)!) ?? value : value;
            default:
                return value;
        }
    }

    public static string? AsString(JsonNode? value) => value switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && AsDouble(v) is { } d => d.ToString(CultureInfo.InvariantCulture),
        _ => value.ToJsonString(),
    };

    public static bool AsBool(JsonNode? value) => value?.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False or JsonValueKind.Null or null => false,
        JsonValueKind.String => bool.TryParse(value.GetValue<string>().Trim(), out var b) ? b : value.GetValue<string>().Length > 0,
        JsonValueKind.Number => AsDouble(value) is { } d && d != 0,
        _ => true,
    };

    public static double? AsDouble(JsonNode? value)
    {
        if (value is not JsonValue v) return null;
        if (v.TryGetValue<double>(out var d)) return d;
        if (v.TryGetValue<long>(out var l)) return l;
        if (v.TryGetValue<int>(out var i)) return i;
        if (v.TryGetValue<decimal>(out var m)) return (double)m;
        if (v.GetValueKind() == JsonValueKind.Number && double.TryParse(v.ToJsonString(), CultureInfo.InvariantCulture, out var p)) return p;
        if (v.TryGetValue<string>(out var s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var ps)) return ps;
        return null;
    }

    /// <summary>Reads "00:01:00", "1.02:00:00" or ISO-8601 "PT1M".</summary>
    public static TimeSpan? AsTimeSpan(JsonNode? value)
    {
        var s = AsString(value)?.Trim();
        if (string.IsNullOrEmpty(s)) return null;
        if (TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out var ts)) return ts;
        try { return System.Xml.XmlConvert.ToTimeSpan(s); } catch (FormatException) { return null; }
    }

    public static DateTimeOffset? AsDateTime(JsonNode? value) =>
        DateTimeOffset.TryParse(AsString(value), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : null;

    public static JsonNode? FromObject(object? value) => value switch
    {
        null => null,
        JsonNode n => n,
        _ => JsonSerializer.SerializeToNode(value),
    };

    /// <summary>Plain CLR objects (dictionaries, lists, primitives) for template engines.</summary>
    public static object? ToPlain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => ToPlain(p.Value)),
        JsonArray a => a.Select(ToPlain).ToList(),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => AsDouble(v) is { } d && d == Math.Floor(d) && Math.Abs(d) < 1e15 ? (object)(long)d : AsDouble(v),
            _ => null,
        },
        _ => null,
    };

    private static string ShortName(string typeName)
    {
        var t = typeName.Split(',')[0].Trim();
        var dot = t.LastIndexOf('.');
        return dot >= 0 ? t[(dot + 1)..] : t;
    }

    private static bool LooksLikeJson(string? s) => s is not null && s.TrimStart() is ['{', ..] or ['[', ..];

    private static JsonNode? TryParse(string s)
    {
        try { return JsonNode.Parse(s); } catch (JsonException) { return null; }
    }
}
