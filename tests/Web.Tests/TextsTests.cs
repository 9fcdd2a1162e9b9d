using System.Text.RegularExpressions;
using Workflows.Host.Components.Web;
using Workflows.Web.Tests.Support;

namespace Workflows.Web.Tests;

/// <summary>The localizer's dictionary covers every key the pages use, in both languages.</summary>
public sealed partial class TextsTests
{
    [GeneratedRegex("""L\["([a-zA-Z0-9_.]+)"[\],]""")]
    private static partial Regex KeyUse();

    [Fact]
    public void EveryKeyThePagesUse_HasChineseAndEnglish()
    {
        var host = Path.Combine(WebFixture.RepositoryRoot, "src", "Host");
        var used = Directory.EnumerateFiles(host, "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".razor") || f.EndsWith(".cs")) && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .SelectMany(f => KeyUse().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet();
        Assert.NotEmpty(used);
        var missing = used.Where(k => !Texts.All.ContainsKey(k)).Order().ToList();
        Assert.True(missing.Count == 0, "No text for: " + string.Join(", ", missing));
        var empty = Texts.All.Where(t => string.IsNullOrWhiteSpace(t.Value.Zh) || string.IsNullOrWhiteSpace(t.Value.En)).Select(t => t.Key).ToList();
        Assert.True(empty.Count == 0, "Empty text for: " + string.Join(", ", empty));
    }
}
