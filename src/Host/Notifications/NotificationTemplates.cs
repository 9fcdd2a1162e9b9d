using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Fluid;
using Microsoft.Extensions.Options;
using Workflows.Engine.Expressions;
using Workflows.Host.Configuration;

namespace Workflows.Host.Notifications;

/// <summary>A rendered notification: one-line subject, plain-text body, HTML body.</summary>
public sealed record RenderedMessage(string Subject, string Text, string Html);

/// <summary>
/// The Liquid (Fluid) templates of definitions/templates. A file <c>NAME.liquid</c> holds, in this order:
/// <code>
/// ---
/// subject: one line of Liquid
/// ---
/// plain-text body (Liquid)
/// &lt;!-- html --&gt;
/// HTML body (Liquid)
/// </code>
/// The subject and the text are rendered without encoding; in the HTML part every <c>{{ value }}</c> is
/// HTML-escaped (use <c>| raw</c> only for trusted markup). Without an HTML part the text is escaped and
/// wrapped in &lt;pre&gt;. Files are re-read when they change, so templates can be edited on a running Host.
/// </summary>
public sealed class NotificationTemplates(IHostEnvironment environment, IOptions<WorkflowsOptions> options)
{
    public const string HtmlMarker = "<!-- html -->";

    private static readonly FluidParser Parser = new();
    // Keeps Chinese readable in the HTML source (the default encoder writes every CJK character as &#x…;).
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);
    private static readonly TemplateOptions FluidOptions = new();
    private readonly ConcurrentDictionary<string, (DateTime Stamp, Parsed Template)> _cache = new(StringComparer.Ordinal);

    /// <summary>The folder of the templates: <c>templates</c> inside the definitions folder.</summary>
    public string Folder => Path.Combine(environment.ContentRootPath, options.Value.DefinitionsPath, "templates");

    /// <summary>Names of every template in <see cref="Folder"/> (file names without .liquid).</summary>
    public IReadOnlyList<string> Names() => Directory.Exists(Folder)
        ? Directory.GetFiles(Folder, "*.liquid").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToList()
        : [];

    /// <summary>Renders template <paramref name="name"/> with <paramref name="model"/> (its top-level keys are the variables).</summary>
    /// <exception cref="InvalidOperationException">The template is missing or does not compile.</exception>
    public RenderedMessage Render(string name, JsonObject model)
    {
        var template = Load(name);
        var context = new TemplateContext(FluidOptions);
        foreach (var (key, value) in model) context.SetValue(key, ValueConverter.ToPlain(value));
        var subject = OneLine(template.Subject.Render(context, NullEncoder.Default, isolateContext: true));
        var text = Normalise(template.Text.Render(context, NullEncoder.Default, isolateContext: true));
        var html = template.Html is null
            ? $"<pre style=\"font-family:inherit;white-space:pre-wrap\">{Html.Encode(text)}</pre>"
            : template.Html.Render(context, Html, isolateContext: true).Trim();
        return new RenderedMessage(subject, text, html);
    }

    /// <summary>Throws unless template <paramref name="name"/> exists and compiles.</summary>
    /// <exception cref="InvalidOperationException">The template is missing or does not compile.</exception>
    public void Check(string name) => Load(name);

    private Parsed Load(string name)
    {
        if (name.Length == 0 || name.IndexOfAny(['/', '\\', '.']) >= 0)
            throw new InvalidOperationException($"'{name}' is not a template name.");
        var path = Path.Combine(Folder, name + ".liquid");
        var stamp = File.Exists(path) ? File.GetLastWriteTimeUtc(path)
            : throw new InvalidOperationException($"Notification template {path} does not exist.");
        if (_cache.TryGetValue(name, out var cached) && cached.Stamp == stamp) return cached.Template;
        var parsed = Parse(name, File.ReadAllText(path));
        _cache[name] = (stamp, parsed);
        return parsed;
    }

    private static Parsed Parse(string name, string source)
    {
        source = source.Replace("\r\n", "\n");
        if (source.StartsWith('\uFEFF')) source = source[1..];
        if (!source.StartsWith("---\n", StringComparison.Ordinal))
            throw new InvalidOperationException($"Template {name}: must start with a '---' front matter holding 'subject:'.");
        var end = source.IndexOf("\n---\n", 3, StringComparison.Ordinal);
        if (end < 0) throw new InvalidOperationException($"Template {name}: the front matter is not closed by '---'.");
        var subjectLine = source[4..end].Split('\n').FirstOrDefault(l => l.StartsWith("subject:", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"Template {name}: the front matter has no 'subject:' line.");
        var body = source[(end + 5)..];
        var marker = body.IndexOf(HtmlMarker, StringComparison.Ordinal);
        var text = marker < 0 ? body : body[..marker];
        var html = marker < 0 ? null : body[(marker + HtmlMarker.Length)..];
        return new Parsed(Compile(name, "subject", subjectLine["subject:".Length..].Trim()), Compile(name, "text", text),
            html is null ? null : Compile(name, "html", html));
    }

    private static IFluidTemplate Compile(string name, string part, string source) =>
        Parser.TryParse(source, out var template, out var error)
            ? template
            : throw new InvalidOperationException($"Template {name} ({part}) does not compile: {error}");

    // A subject is one header line: no line breaks (header injection) and no longer than the column.
    private static string OneLine(string s)
    {
        var line = string.Join(' ', s.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= 300 ? line : line[..300];
    }

    // Liquid tags leave blank lines behind; keep at most one empty line in a row.
    private static string Normalise(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd());
        var result = new List<string>();
        foreach (var line in lines)
            if (line.Length > 0 || (result.Count > 0 && result[^1].Length > 0)) result.Add(line);
        while (result.Count > 0 && result[^1].Length == 0) result.RemoveAt(result.Count - 1);
        return string.Join("\n", result);
    }

    private sealed record Parsed(IFluidTemplate Subject, IFluidTemplate Text, IFluidTemplate? Html);
}
