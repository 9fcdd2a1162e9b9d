using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Workflows.Activities.People;
using Workflows.Engine.Definitions;
using Workflows.Engine.Expressions;
using Workflows.Host.Components.Web;

namespace Workflows.Host.Features.Instances;

/// <summary>
/// The start form of a definition: its Elsa <c>inputs</c> (name, displayName, type, uiHint, plus our
/// <c>fieldType</c>, <c>required</c>, <c>options</c>), and a people picker for every "initiatorPicks" rule of its steps.
/// Who may start it: <c>customProperties.initiatorRoles</c> (any role listed; none = everyone).
/// </summary>
public sealed record StartForm(IReadOnlyList<StartField> Fields, IReadOnlyList<StartPick> Picks, IReadOnlyList<string> InitiatorRoles)
{
    public const string Text = "text", Number = "number", Date = "date", Select = "select", TextArea = "textarea", User = "user";

    public bool MayStart(ClaimsPrincipal user) => InitiatorRoles.Count == 0 || InitiatorRoles.Any(user.IsInRole);

    public static StartForm Of(WorkflowDefinition definition)
    {
        var fields = (definition.Raw["inputs"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(i => new StartField(
                ValueConverter.AsString(i["name"]) ?? "",
                ValueConverter.AsString(i["displayName"]) is { Length: > 0 } label ? label : ValueConverter.AsString(i["name"]) ?? "",
                FieldType(i),
                ValueConverter.AsBool(i["required"] ?? i["isRequired"]),
                (i["options"] as JsonArray ?? []).Select(o => ValueConverter.AsString(o is JsonObject obj ? obj["value"] ?? obj["label"] : o)).OfType<string>().ToList(),
                ValueConverter.AsString(i["description"])))
            .Where(f => f.Name.Length > 0)
            .ToList();
        var picks = new List<StartPick>();
        foreach (var node in definition.AllActivities)
            foreach (var input in new[] { "assignees", "to", "cc" })
                foreach (var key in PickKeys(node.Raw[input]))
                    if (picks.All(p => p.Key != key))
                        picks.Add(new StartPick(key, ValueConverter.AsString(node.Raw["stepName"]?["expression"]?["value"]) ?? node.DisplayName));
        var roles = (definition.Raw["customProperties"]?["initiatorRoles"] as JsonArray ?? []).Select(ValueConverter.AsString).OfType<string>().ToList();
        return new StartForm(fields, picks, roles);
    }

    private static string FieldType(JsonObject input)
    {
        if (ValueConverter.AsString(input["fieldType"]) is { Length: > 0 } t) return t.ToLowerInvariant();
        var hint = ValueConverter.AsString(input["uiHint"])?.ToLowerInvariant();
        var type = ValueConverter.AsString(input["type"])?.ToLowerInvariant();
        return hint switch
        {
            "multiline" => TextArea,
            "dropdown" or "radiolist" => Select,
            "datepicker" or "date" => Date,
            "user" or "userpicker" => User,
            _ => type switch { "number" or "int32" or "double" or "decimal" => Number, "datetime" or "date" or "dateonly" => Date, _ => Text },
        };
    }

    /// <summary>Keys of the "initiatorPicks" rules in an input written as a literal or object expression.</summary>
    private static IEnumerable<string> PickKeys(JsonNode? input)
    {
        var value = input is JsonObject o && o["expression"] is JsonObject e ? e["value"] : input;
        IReadOnlyList<AssigneeRule> rules;
        try { rules = AssigneeRule.ParseList(value); }
        catch (FormatException) { yield break; }
        foreach (var rule in rules)
            if (rule.Type == AssigneeRule.TypeInitiatorPicks && rule.Key is { } key) yield return key;
    }

    /// <summary>Field errors (by field name, or "pick:key") in the reader's language; none = the input can be sent.</summary>
    public Dictionary<string, string> Check(IReadOnlyDictionary<string, string?> values, IReadOnlyDictionary<string, List<string>> picks,
        ISet<string> knownUsers, Loc l)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in Fields)
        {
            var text = values.GetValueOrDefault(f.Name)?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                if (f.Required) errors[f.Name] = l["form.required", f.Label];
                continue;
            }
            var problem = f.Type switch
            {
                Number when !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) => l["form.number", f.Label],
                Date when !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) => l["form.date", f.Label],
                Select when !f.Options.Contains(text) => l["form.option", f.Label],
                User when !knownUsers.Contains(text) => l["form.user", f.Label],
                _ when text.Length > 4000 => l["start.tooLong", f.Label],
                _ => null,
            };
            if (problem is not null) errors[f.Name] = problem;
        }
        foreach (var p in Picks)
            if (picks.GetValueOrDefault(p.Key) is not { Count: > 0 }) errors[$"pick:{p.Key}"] = l["start.pickRequired", p.StepName];
        return errors;
    }

    public JsonObject Input(IReadOnlyDictionary<string, string?> values, IReadOnlyDictionary<string, List<string>> picks)
    {
        var input = new JsonObject();
        foreach (var f in Fields)
        {
            var text = values.GetValueOrDefault(f.Name)?.Trim();
            if (string.IsNullOrEmpty(text)) continue;
            input[f.Name] = f.Type == Number && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                ? JsonValue.Create(d) : JsonValue.Create(text);
        }
        if (Picks.Count > 0)
        {
            var assignees = new JsonObject();
            foreach (var p in Picks) assignees[p.Key] = new JsonArray([.. picks.GetValueOrDefault(p.Key, []).Select(u => (JsonNode)u)]);
            input["assignees"] = assignees;
        }
        return input;
    }
}

public sealed record StartField(string Name, string Label, string Type, bool Required, IReadOnlyList<string> Options, string? Description);

/// <summary>A step whose people the initiator chooses (rule "initiatorPicks", input <c>assignees.{Key}</c>).</summary>
public sealed record StartPick(string Key, string StepName);
