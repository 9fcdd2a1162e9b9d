using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workflows.Engine.Activities;
using Workflows.Engine.Tests.Support;
using Workflows.Engine.Validation;

namespace Workflows.Engine.Tests.Validation;

/// <summary>
/// Every problem the validator raises has a Simplified Chinese sentence for the designer's readers, beside the English
/// one that logs, the CLI and API clients keep reading; the Chinese names the same activities, inputs and values.
/// </summary>
public sealed partial class ChineseMessageTests
{
    private static ValidationReport Validate(string json) => DefinitionValidator.Validate(json, ActivityRegistry.CreateDefault());

    /// <summary>One broken definition per kind of problem the engine reports.</summary>
    private static readonly Dictionary<string, Func<string>> Broken = new()
    {
        ["malformed JSON"] = () => "{\n  \"definitionId\": \"d\",\n  \"root\": { \"id\": \"f\",, }\n}",
        ["not an object"] = () => "[1, 2]",
        ["no root"] = () => """{"definitionId": "d"}""",
        ["no definitionId"] = () => Without(new Flow().Add(A.Start()), "definitionId", "id"),
        ["activity without id"] = () => new Flow().Add(new JsonObject { ["type"] = "Elsa.WriteLine", ["text"] = In.Literal("x") }).Json(),
        ["duplicate id"] = () => new Flow().Add(A.WriteLine("w1", "a"), A.WriteLine("w1", "b")).Json(),
        ["unknown type"] = () => new Flow().Add(A.Node("t1", "Acme.Teleport")).Json(),
        ["unknown root"] = () => """{"definitionId": "d", "root": {"id": "r", "type": "Acme.Root"}}""",
        ["connection from a missing activity"] = () => new Flow().Add(A.WriteLine("w1", "a")).Connect("ghost", "w1").Json(),
        ["connection to a missing activity"] = () => new Flow().Add(A.WriteLine("w1", "a")).Connect("w1", "nowhere").Json(),
        ["no way to start"] = () => new Flow().Add(A.Event("a", "x"), A.WriteLine("b", "b")).Chain("a", "b", "a").Json(),
        ["empty flowchart"] = () => new Flow().Json(),
        ["missing start"] = () => With(new Flow().Add(A.Start(), A.WriteLine("w", "w")).Chain("start", "w"), "start", "ghost"),
        ["JavaScript"] = () => new Flow().Add(A.WriteLineJs("w1", "getX(")).Json(),
        ["switch case"] = () => new Flow().Add(A.Node("sw", "Elsa.FlowSwitch", ("cases", new JsonArray(A.Case("Big", "getN() >"))))).Json(),
        ["Liquid"] = () => new Flow().Add(A.Node("w1", "Elsa.WriteLine", ("text", In.Liquid("Hello {% if %}")))).Json(),
        ["Object JSON"] = () => new Flow().Add(A.Node("w1", "Elsa.WriteLine", ("text", In.Object("{nope")))).Json(),
        ["unsupported expression"] = () => new Flow().Add(A.Node("w1", "Elsa.WriteLine", ("text", In.Expression("CSharp", "1 + 1")))).Json(),
        ["cron"] = () => new Flow().Add(A.Node("cron", "Elsa.Cron", ("cronExpression", In.Literal("BadCronExpression")))).Json(),
        ["endless loop"] = () => new Flow().Add(A.Start(), A.WriteLine("a", "a"), A.WriteLine("b", "b")).Chain("start", "a", "b", "a").Json(),
        ["loop with a conditional exit"] = () => new Flow()
            .Add(A.Start(), A.WriteLine("a", "a"), A.Decision("d", "true"), A.WriteLine("out", "out"))
            .Chain("start", "a", "d").Connect("d", "a", "True").Connect("d", "out", "False").Json(),
        ["unreachable"] = () => new Flow().Add(A.Start(), A.WriteLine("w", "w"), A.WriteLine("orphan", "o")).Chain("start", "w").Json(),
        ["unknown outcome"] = () => new Flow().Add(A.Decision("d", "true"), A.WriteLine("w", "w")).Connect("d", "w", "Maybe").Json(),
    };

    public static TheoryData<string> Cases() => new(Broken.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_problem_has_a_Chinese_sentence_that_names_what_the_English_names(string kind)
    {
        var report = Validate(Broken[kind]());

        Assert.NotEmpty(report.Problems);
        foreach (var problem in report.Problems) AssertBilingual(problem);
    }

    /// <summary>Chinese, not the English again, and every 'quoted' id, input or value of the English is in the Chinese too.</summary>
    internal static void AssertBilingual(ValidationProblem problem)
    {
        Assert.False(string.IsNullOrWhiteSpace(problem.MessageZh), problem.Message);
        Assert.Matches(Cjk(), problem.MessageZh);
        Assert.DoesNotMatch(Cjk(), problem.Message); // the English stays English
        foreach (Match quoted in Quoted().Matches(problem.Message))
            Assert.True(problem.MessageZh.Contains(quoted.Groups[1].Value, StringComparison.Ordinal),
                $"'{quoted.Groups[1].Value}' is named in \"{problem.Message}\" but not in \"{problem.MessageZh}\"");
    }

    [Fact]
    public void The_Chinese_keeps_the_technical_reason_as_it_comes_and_the_English_is_unchanged()
    {
        var js = Assert.Single(Validate(new Flow().Add(A.WriteLineJs("w1", "getX(")).Json()).Problems);
        var reason = js.Message[(js.Message.IndexOf(": ", StringComparison.Ordinal) + 2)..];
        Assert.StartsWith("The JavaScript of 'text' does not compile: ", js.Message);
        Assert.Equal($"“text”的 JavaScript 表达式无法编译：{reason}", js.MessageZh);

        var json = Assert.Single(Validate("{\n  \"definitionId\": \"d\",\n  \"root\": { \"id\": \"f\",, }\n}").Problems);
        Assert.StartsWith("The definition is not valid JSON (line 3, position ", json.Message);
        Assert.StartsWith("流程定义不是有效的 JSON（第 3 行第 ", json.MessageZh);
        Assert.EndsWith(json.Message[(json.Message.IndexOf("): ", StringComparison.Ordinal) + 3)..], json.MessageZh);
    }

    [Fact]
    public void The_Chinese_names_the_activity_as_the_English_does()
    {
        var unknown = Assert.Single(Validate(new Flow().Add(A.Node("t1", "Acme.Teleport")).Json()).Problems);
        Assert.Equal("Unknown activity type 'Acme.Teleport'.", unknown.Message);
        Assert.Equal("未知的节点类型“Acme.Teleport”。", unknown.MessageZh);

        var orphan = Assert.Single(Validate(new Flow().Add(A.Start(), A.WriteLine("w", "w"), A.WriteLine("orphan", "o")).Chain("start", "w").Json()).Problems);
        Assert.Equal("「orphan」没有从开始节点连过来，永远不会执行。", orphan.MessageZh);
        Assert.Equal("warning [orphan]: 'orphan' cannot be reached from the start; it will never run.", orphan.ToString());
    }

    private static string Without(Flow flow, params string[] properties)
    {
        var document = flow.Document();
        foreach (var property in properties) document.Remove(property);
        return document.ToJsonString();
    }

    private static string With(Flow flow, string rootProperty, string value)
    {
        var document = flow.Document();
        document["root"]![rootProperty] = value;
        return document.ToJsonString();
    }

    [GeneratedRegex(@"[\u4e00-\u9fff]")]
    private static partial Regex Cjk();

    [GeneratedRegex(@"'([^']{1,80})'")]
    private static partial Regex Quoted();
}
