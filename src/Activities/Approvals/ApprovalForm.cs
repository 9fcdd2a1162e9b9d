using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Engine.Expressions;

namespace Workflows.Activities.Approvals;

/// <summary>
/// The form of an approval step: <c>{"fields":[{"name","label","type":"text|number|date|select|textarea",
/// "required","editable","visible","options":[..]}]}</c>, and the check of what an assignee submits with it.
/// </summary>
public static class ApprovalForm
{
    public const string Text = "text";
    public const string Number = "number";
    public const string Date = "date";
    public const string Select = "select";
    public const string TextArea = "textarea";

    public static readonly string[] FieldTypes = [Text, Number, Date, Select, TextArea];

    /// <summary>
    /// Checks submitted <paramref name="fields"/> (name → value) against <paramref name="form"/>: required editable
    /// fields are present, values parse as their type, select values are among the options, and nothing is
    /// submitted for a field that is not editable (or not on the form). Returns field name → message in Chinese;
    /// empty when the submission is valid. Nothing is changed.
    /// </summary>
    /// <param name="requireFields">False for actions that only hand the task on (transfer, delegate…): a missing
    /// required value is then not an error, but whatever is submitted is still checked.</param>
    public static IReadOnlyDictionary<string, string> Validate(JsonObject? form, JsonObject? fields, bool requireFields = true)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var definitions = FieldsOf(form);
        var byName = definitions.Where(f => f.Name.Length > 0).GroupBy(f => f.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

        foreach (var (name, value) in fields ?? [])
        {
            if (!byName.TryGetValue(name, out var field))
            {
                errors[name] = $"表单中没有字段「{name}」";
                continue;
            }
            if (!field.Editable)
            {
                errors[name] = $"「{field.Label}」不可修改";
                continue;
            }
            if (IsEmpty(value)) continue; // checked below when required
            if (Check(field, value) is { } message) errors[name] = message;
        }

        if (requireFields)
            foreach (var field in definitions.Where(f => f is { Required: true, Editable: true }))
                if (!errors.ContainsKey(field.Name) && IsEmpty(fields?[field.Name]))
                    errors[field.Name] = $"「{field.Label}」为必填项";
        return errors;
    }

    /// <summary>The submitted values as they are stored in variables (numbers as numbers, empty as null).</summary>
    public static IReadOnlyDictionary<string, JsonNode?> Values(JsonObject? form, JsonObject? fields)
    {
        var byName = FieldsOf(form).GroupBy(f => f.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (name, value) in fields ?? [])
        {
            if (!byName.TryGetValue(name, out var field)) continue;
            values[name] = IsEmpty(value) ? null
                : field.Type == Number && ValueConverter.AsDouble(value) is { } d ? JsonValue.Create(d)
                : value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? JsonValue.Create(v.GetValue<string>().Trim())
                : value!.DeepClone();
        }
        return values;
    }

    /// <summary>The form's fields; missing flags default to editable, visible and not required.</summary>
    public static IReadOnlyList<FormField> FieldsOf(JsonObject? form) =>
        (form?["fields"] as JsonArray ?? [])
        .OfType<JsonObject>()
        .Select(f =>
        {
            var name = ValueConverter.AsString(f["name"]) ?? "";
            var visible = Flag(f["visible"], true);
            return new FormField(
                name,
                ValueConverter.AsString(f["label"]) is { Length: > 0 } label ? label : name,
                (ValueConverter.AsString(f["type"]) ?? Text).ToLowerInvariant(),
                Flag(f["required"], false),
                visible && Flag(f["editable"], true),
                visible,
                (f["options"] as JsonArray ?? []).Select(OptionValue).OfType<string>().ToList());
        })
        .ToList();

    private static string? Check(FormField field, JsonNode? value)
    {
        var kind = value?.GetValueKind();
        switch (field.Type)
        {
            case Number:
                return kind == JsonValueKind.Number
                       || (kind == JsonValueKind.String && double.TryParse(value!.GetValue<string>().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    ? null
                    : $"「{field.Label}」必须是数字";
            case Date:
                return kind == JsonValueKind.String && IsDate(value!.GetValue<string>().Trim())
                    ? null
                    : $"「{field.Label}」必须是日期（yyyy-MM-dd）";
            case Select:
                var text = kind is JsonValueKind.String or JsonValueKind.Number ? ValueConverter.AsString(value)?.Trim() : null;
                return text is not null && field.Options.Contains(text, StringComparer.Ordinal)
                    ? null
                    : $"「{field.Label}」必须是以下选项之一：{string.Join("、", field.Options)}";
            default:
                return kind == JsonValueKind.String ? null : $"「{field.Label}」必须是文本";
        }
    }

    private static bool IsDate(string s) =>
        DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
        || (s.Length > 10 && s[10] == 'T' && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _));

    private static bool IsEmpty(JsonNode? value) => value is null
        || value.GetValueKind() == JsonValueKind.Null
        || (value.GetValueKind() == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetValue<string>()));

    private static string? OptionValue(JsonNode? option) => option switch
    {
        JsonObject o => ValueConverter.AsString(o["value"]) ?? ValueConverter.AsString(o["label"]),
        _ => ValueConverter.AsString(option),
    };

    private static bool Flag(JsonNode? value, bool fallback) => value is null ? fallback : ValueConverter.AsBool(value);
}

/// <summary>One field of an approval form.</summary>
public sealed record FormField(string Name, string Label, string Type, bool Required, bool Editable, bool Visible, IReadOnlyList<string> Options);
