using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Engine.Expressions;

namespace Workflows.Activities.Publicities;

/// <summary>Reading the "nominees" input: user ids, or objects with an "id" (and anything else, e.g. name, school).</summary>
public static class PublicityNominees
{
    /// <summary>The id of one nominee element: the string itself, or the object's "id".</summary>
    public static string? IdOf(JsonNode? nominee) => nominee switch
    {
        JsonObject o => ValueConverter.AsString(o["id"]) is { Length: > 0 } id && !string.IsNullOrWhiteSpace(id) ? id.Trim() : null,
        JsonValue v when v.GetValueKind() is JsonValueKind.String or JsonValueKind.Number =>
            ValueConverter.AsString(v) is { Length: > 0 } s && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null,
        _ => null,
    };

    /// <summary>
    /// The nominees of a value: an array of ids or objects, JSON text of one, or a comma-separated list of ids.
    /// Duplicates keep their first place.
    /// </summary>
    /// <exception cref="FormatException">An element has no id; the message says which.</exception>
    public static JsonArray Parse(JsonNode? value)
    {
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            var text = v.GetValue<string>().Trim();
            if (text.Length == 0) return [];
            if (text[0] is '[' or '{')
            {
                try { value = JsonNode.Parse(text); }
                catch (JsonException ex) { throw new FormatException($"'nominees' is not valid JSON: {ex.Message}"); }
            }
            else
            {
                value = new JsonArray([.. text.Split([',', '，', '、', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(s => (JsonNode)s)]);
            }
        }
        var items = value switch
        {
            null => [],
            JsonArray a => a.ToList(),
            JsonObject o => [o],
            _ => throw new FormatException("'nominees' must be an array of user ids or of objects with an \"id\"."),
        };
        var result = new JsonArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var id = IdOf(items[i]) ?? throw new FormatException($"Nominee {i + 1} has no id (give a user id or an object with \"id\").");
            if (seen.Add(id)) result.Add(items[i] is JsonObject o ? o.DeepClone() : JsonValue.Create(id));
        }
        return result;
    }
}
