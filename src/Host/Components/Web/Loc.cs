using System.Globalization;

namespace Workflows.Host.Components.Web;

/// <summary>
/// The UI's words: a zh-CN/en dictionary keyed by stable keys (<see cref="Texts"/>). The language is the request's
/// UI culture, which the localization middleware takes from the <see cref="CookieName"/> cookie (zh-CN by default);
/// an interactive circuit keeps the culture of the request that opened it.
/// </summary>
public sealed class Loc(ILogger<Loc> logger)
{
    public const string CookieName = "workflows.lang";
    public const string Chinese = "zh-CN";
    public const string English = "en";
    public static readonly string[] Cultures = [Chinese, English];

    public static bool IsEnglishCulture => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public bool IsEnglish => IsEnglishCulture;

    public string Language => IsEnglish ? English : Chinese;

    public string this[string key]
    {
        get
        {
            if (Texts.All.TryGetValue(key, out var text)) return IsEnglish ? text.En : text.Zh;
            logger.LogWarning("No UI text for key {Key}", key);
            return key;
        }
    }

    public string this[string key, params object?[] args] => string.Format(CultureInfo.CurrentCulture, this[key], args);

    /// <summary>
    /// The API writes some messages in both languages ("中文 / English"); this keeps the reader's half. A message in
    /// one language only is returned as it is.
    /// </summary>
    public string Pick(string? message)
    {
        if (string.IsNullOrEmpty(message)) return "";
        // Messages say "中文 / English" (some "中文。/ English", the slash right after Chinese punctuation);
        // notification titles "中文 | English".
        var (at, length) = FindSeparator(message);
        if (at < 0) return message;
        var zh = message[..at].Trim();
        var en = message[(at + length)..].Trim();
        var zhIsChinese = zh.Any(IsCjk);
        if (!zhIsChinese) return message;
        return IsEnglish ? en : zh;
    }

    private static (int At, int Length) FindSeparator(string message)
    {
        for (var i = 0; i + 1 < message.Length; i++)
        {
            if (message[i] is not ('/' or '|') || message[i + 1] != ' ') continue;
            if (i > 0 && message[i - 1] == ' ') return (i - 1, 3);
            if (message[i] == '/' && i > 0 && IsChinesePunctuation(message[i - 1])) return (i, 2);
        }
        return (-1, 0);
    }

    private static bool IsChinesePunctuation(char c) => c is >= '\u3000' and <= '\u303f' or >= '\uff00' and <= '\uffef' or '\u201d' or '\u2019';

    /// <summary>
    /// The reader's half of a message the API gives as two members (a definition problem's <c>messageZh</c> and
    /// <c>message</c>); the other half when the reader's is missing.
    /// </summary>
    public string Pick(string? zh, string? en)
    {
        var (mine, other) = IsEnglish ? (en, zh) : (zh, en);
        return !string.IsNullOrWhiteSpace(mine) ? mine : other ?? "";
    }

    private static bool IsCjk(char c) => c is >= '\u4e00' and <= '\u9fff';
}
