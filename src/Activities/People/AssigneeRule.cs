using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Engine.Expressions;

namespace Workflows.Activities.People;

/// <summary>
/// One rule that names people (审批人/抄送人 设置), as written in a definition:
/// <c>{"type":"users","users":[..]}</c>, <c>{"type":"role","role":"Principal","scope":"initiatorSchool"}</c>,
/// <c>{"type":"initiator"}</c>, <c>{"type":"initiatorPrincipal"}</c>, <c>{"type":"variable","name":"Reviewers"}</c>,
/// <c>{"type":"initiatorPicks","key":"step2"}</c>.
/// </summary>
public sealed record AssigneeRule(string Type, IReadOnlyList<string> Users, string? Role, string? Scope, string? Name, string? Key)
{
    public const string TypeUsers = "users";
    public const string TypeRole = "role";
    public const string TypeInitiator = "initiator";
    public const string TypeInitiatorPrincipal = "initiatorPrincipal";
    public const string TypeVariable = "variable";
    public const string TypeInitiatorPicks = "initiatorPicks";

    public static readonly string[] Types = [TypeUsers, TypeRole, TypeInitiator, TypeInitiatorPrincipal, TypeVariable, TypeInitiatorPicks];

    /// <summary>
    /// Reads a rule list: an array of rules, a single rule object, or JSON text of either.
    /// Null or an empty string is an empty list.
    /// </summary>
    /// <exception cref="AssigneeRuleFormatException">A rule is malformed; the message says which and why (in English and Chinese).</exception>
    public static IReadOnlyList<AssigneeRule> ParseList(JsonNode? value)
    {
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            var text = v.GetValue<string>();
            if (string.IsNullOrWhiteSpace(text)) return [];
            try { value = JsonNode.Parse(text); }
            catch (JsonException ex)
            {
                throw new AssigneeRuleFormatException($"Assignee rules are not valid JSON: {ex.Message}", $"人员规则不是有效的 JSON：{ex.Message}");
            }
        }
        return value switch
        {
            null => [],
            JsonArray a => a.Select((r, i) => Parse(r, $"rule {i + 1}", $"第 {i + 1} 条规则")).ToList(),
            JsonObject o => [Parse(o)],
            _ => throw new AssigneeRuleFormatException("Assignee rules must be an array of rule objects.", "人员规则必须是由规则对象组成的数组。"),
        };
    }

    /// <param name="where">The rule's place in English ("rule 2"), <paramref name="whereZh"/> in Chinese ("第 2 条规则").</param>
    public static AssigneeRule Parse(JsonNode? node, string where = "rule", string whereZh = "规则")
    {
        AssigneeRuleFormatException Malformed(string english, string chinese) => new($"{where}: {english}", $"{whereZh}：{chinese}");

        if (node is not JsonObject o) throw Malformed("an assignee rule must be an object with a \"type\".", "人员规则必须是带有 \"type\" 的对象。");
        var type = Str(o, "type");
        switch (type)
        {
            case TypeUsers:
                var users = StringsOf(o["users"]);
                if (o["users"] is not JsonArray && users.Count == 0)
                    throw Malformed("a \"users\" rule needs \"users\": [user ids].", "\"users\" 规则需要 \"users\": [用户 id]。");
                return new AssigneeRule(type, users, null, null, null, null);
            case TypeRole:
                var role = Str(o, "role");
                if (string.IsNullOrWhiteSpace(role)) throw Malformed("a \"role\" rule needs \"role\".", "\"role\" 规则需要 \"role\"（角色）。");
                var scope = Str(o, "scope");
                return new AssigneeRule(type, [], role, string.IsNullOrWhiteSpace(scope) ? RoleScopes.County : scope, null, null);
            case TypeInitiator or TypeInitiatorPrincipal:
                return new AssigneeRule(type, [], null, null, null, null);
            case TypeVariable:
                var name = Str(o, "name");
                if (string.IsNullOrWhiteSpace(name)) throw Malformed("a \"variable\" rule needs \"name\".", "\"variable\" 规则需要 \"name\"（变量名）。");
                return new AssigneeRule(type, [], null, null, name, null);
            case TypeInitiatorPicks:
                var key = Str(o, "key");
                if (string.IsNullOrWhiteSpace(key)) throw Malformed("an \"initiatorPicks\" rule needs \"key\".", "\"initiatorPicks\" 规则需要 \"key\"。");
                return new AssigneeRule(type, [], null, null, null, key);
            default:
                var known = string.Join(", ", Types);
                throw Malformed($"unknown assignee rule type '{type}' (known: {known}).", $"未知的人员规则类型“{type}”（可用：{known}）。");
        }
    }

    /// <summary>User ids held by a value: a string, a number, an array of them, or objects with an "id".</summary>
    public static IReadOnlyList<string> StringsOf(JsonNode? value) => value switch
    {
        null => [],
        JsonArray a => a.SelectMany(StringsOf).ToList(),
        JsonObject o when o["id"] is JsonValue id => StringsOf(id),
        JsonValue v when v.GetValueKind() is JsonValueKind.String or JsonValueKind.Number
            && ValueConverter.AsString(v) is { Length: > 0 } s && !string.IsNullOrWhiteSpace(s) => [s.Trim()],
        _ => [],
    };

    private static string? Str(JsonObject o, string name) =>
        o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}

/// <summary>A malformed assignee rule: <see cref="Exception.Message"/> in English, <see cref="MessageZh"/> in Simplified Chinese.</summary>
public sealed class AssigneeRuleFormatException(string message, string messageZh) : FormatException(message)
{
    public string MessageZh { get; } = messageZh;
}

/// <summary>Where a role rule looks for role holders.</summary>
public static class RoleScopes
{
    public const string InitiatorSchool = "initiatorSchool";
    public const string InitiatorFederation = "initiatorFederation";
    public const string County = "county";

    /// <summary>Prefix: the school of the user (or the school id) held in the named variable or workflow input.</summary>
    public const string SchoolOfVariable = "schoolOfVariable:";

    /// <summary>Prefix: the federation of the user (or the federation id) held in the named variable or workflow input.</summary>
    public const string FederationOfVariable = "federationOfVariable:";
}
