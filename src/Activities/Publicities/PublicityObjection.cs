using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Engine.Expressions;

namespace Workflows.Activities.Publicities;

/// <summary>
/// A named objection (实名异议) as it resumes the notice's objection bookmark:
/// <c>{"objectorName", "objectorUserId"?, "objectorPhone"?, "objectorEmail"?, "nomineeId", "facts", "attachments"?}</c>.
/// The host runs <see cref="Validate"/> before it resumes, so that a bad objection is refused and nothing changes;
/// the publicity step runs the same check again and refuses (keeps its bookmark) what fails it.
/// </summary>
public sealed record PublicityObjection(
    string? ObjectorName,
    string? ObjectorUserId,
    string? ObjectorPhone,
    string? ObjectorEmail,
    string? NomineeId,
    string? Facts,
    JsonArray? Attachments)
{
    public const int MaxNameLength = 50;
    public const int MaxFactsLength = 5000;
    public const int MaxAttachments = 10;
    public const int MaxAttachmentLength = 500;

    public static PublicityObjection Parse(JsonNode? payload)
    {
        var o = payload as JsonObject;
        return new PublicityObjection(Str(o?["objectorName"]), Str(o?["objectorUserId"]), Str(o?["objectorPhone"]),
            Str(o?["objectorEmail"]), Str(o?["nomineeId"]), Str(o?["facts"]), o?["attachments"] as JsonArray);
    }

    /// <summary>
    /// Errors of an objection against a notice, keyed by the payload's field names, in Chinese; empty when it may be
    /// filed. A person who is not signed in (no objectorUserId) must leave a phone number or an email address.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Validate(JsonNode? payload, IEnumerable<string> nomineeIds, IEnumerable<string> withdrawn)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (payload is not JsonObject raw)
        {
            errors["body"] = "异议须为 JSON 对象";
            return errors;
        }
        var objection = Parse(payload);

        if (objection.ObjectorName is null) errors["objectorName"] = "请填写异议人姓名（实名反映）";
        else if (objection.ObjectorName.Length > MaxNameLength) errors["objectorName"] = $"姓名不能超过 {MaxNameLength} 个字";

        if (raw["objectorPhone"] is { } phoneNode && !IsText(phoneNode)) errors["objectorPhone"] = "电话须为文本";
        else if (objection.ObjectorPhone is { } phone && !IsPhone(phone)) errors["objectorPhone"] = "电话号码格式不正确";
        if (raw["objectorEmail"] is { } emailNode && !IsText(emailNode)) errors["objectorEmail"] = "邮箱须为文本";
        else if (objection.ObjectorEmail is { } email && !IsEmail(email)) errors["objectorEmail"] = "邮箱格式不正确";
        if (objection.ObjectorUserId is null && objection.ObjectorPhone is null && objection.ObjectorEmail is null
            && !errors.ContainsKey("objectorPhone") && !errors.ContainsKey("objectorEmail"))
            errors["objectorPhone"] = "请留下联系电话或邮箱，以便反馈核查结果";

        var ids = nomineeIds.ToHashSet(StringComparer.Ordinal);
        if (objection.NomineeId is null) errors["nomineeId"] = "请选择异议针对的公示对象";
        else if (!ids.Contains(objection.NomineeId)) errors["nomineeId"] = $"「{objection.NomineeId}」不在公示名单中";
        else if (withdrawn.Contains(objection.NomineeId, StringComparer.Ordinal)) errors["nomineeId"] = "该公示对象已被撤销，无需再提异议";

        if (raw["facts"] is { } factsNode && !IsText(factsNode)) errors["facts"] = "异议事实须为文本";
        else if (objection.Facts is null) errors["facts"] = "请写明异议的具体事实";
        else if (objection.Facts.Length > MaxFactsLength) errors["facts"] = $"异议事实不能超过 {MaxFactsLength} 字";

        if (raw["attachments"] is { } attachments)
        {
            if (attachments is not JsonArray list) errors["attachments"] = "附件须为列表";
            else if (list.Count > MaxAttachments) errors["attachments"] = $"附件最多 {MaxAttachments} 个";
            else if (list.Any(a => AttachmentText(a) is not { Length: > 0 and <= MaxAttachmentLength }))
                errors["attachments"] = "每个附件须为不超过 500 字的链接或说明（或带 name/url 的对象）";
        }
        return errors;
    }

    private static string? AttachmentText(JsonNode? attachment) => attachment switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>().Trim(),
        JsonObject o => ValueConverter.AsString(o["url"]) ?? ValueConverter.AsString(o["name"]),
        _ => null,
    };

    private static bool IsText(JsonNode node) => node is JsonValue v && v.GetValueKind() is JsonValueKind.String or JsonValueKind.Null;

    private static bool IsPhone(string phone)
    {
        var digits = phone.Count(char.IsAsciiDigit);
        return digits is >= 7 and <= 20 && phone.All(c => char.IsAsciiDigit(c) || c is '+' or '-' or ' ' or '(' or ')');
    }

    private static bool IsEmail(string email)
    {
        if (email.Length is < 3 or > 254 || email.Any(char.IsWhiteSpace)) return false;
        var at = email.IndexOf('@');
        if (at < 1 || at != email.LastIndexOf('@')) return false;
        var domain = email[(at + 1)..];
        return domain.Contains('.') && !domain.StartsWith('.') && !domain.EndsWith('.');
    }

    private static string? Str(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetValue<string>())
            ? v.GetValue<string>().Trim()
            : null;
}
