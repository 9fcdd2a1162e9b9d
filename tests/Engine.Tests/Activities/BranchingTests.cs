using System.Text.Json.Nodes;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Activities;

/// <summary>FlowDecision, FlowSwitch, If and Switch.</summary>
public sealed class BranchingTests
{
    [Theory]
    [InlineData("1 < 2", "yes")]
    [InlineData("1 > 2", "no")]
    public async Task FlowDecision_leaves_through_True_or_False(string condition, string expected)
    {
        var run = await Runner.StartAsync(new Flow()
            .Add(A.Start(), A.Decision("d", condition), A.WriteLine("yes", "yes"), A.WriteLine("no", "no"))
            .Connect("start", "d").Connect("d", "yes", "True").Connect("d", "no", "False"));

        Assert.Equal([expected], run.Lines);
    }

    [Theory]
    [InlineData("MatchFirst", 5, new[] { "big" })]
    [InlineData("MatchAny", 5, new[] { "big", "odd" })]
    [InlineData("MatchFirst", 3, new[] { "odd" })]
    [InlineData("MatchAny", 2, new[] { "default" })]
    public async Task FlowSwitch_takes_the_first_match_every_match_or_Default(string mode, int n, string[] expected)
    {
        var flowSwitch = A.Node("sw", "Elsa.FlowSwitch", ("mode", In.Literal(mode, "SwitchMode")),
            ("cases", new JsonArray(A.Case("Big", "getN() > 3"), A.Case("Odd", "getN() % 2 == 1"))));
        var run = await Runner.StartAsync(new Flow()
            .Variable("N", "Int32", n)
            .Add(A.Start(), flowSwitch, A.WriteLine("big", "big"), A.WriteLine("odd", "odd"), A.WriteLine("def", "default"))
            .Connect("start", "sw").Connect("sw", "big", "Big").Connect("sw", "odd", "Odd").Connect("sw", "def", "Default"));

        Assert.Equal(expected, run.Lines);
    }

    [Theory]
    [InlineData(true, new[] { "then", "true port", "done port" })]
    [InlineData(false, new[] { "else", "false port", "done port" })]
    public async Task If_runs_then_or_else_and_leaves_through_its_result_and_Done(bool condition, string[] expected)
    {
        var @if = A.Node("if", "Elsa.If", ("condition", In.Literal(condition, "Boolean")),
            ("then", A.WriteLine("then", "then")), ("else", A.WriteLine("else", "else")));
        var run = await Runner.StartAsync(new Flow()
            .Add(A.Start(), @if, A.WriteLine("t", "true port"), A.WriteLine("f", "false port"), A.WriteLine("d", "done port"))
            .Connect("start", "if").Connect("if", "t", "True").Connect("if", "f", "False").Connect("if", "d"));

        Assert.Equal(expected, run.Lines);
    }

    [Fact]
    public async Task If_without_a_branch_for_its_result_still_completes()
    {
        var @if = A.Node("if", "Elsa.If", ("condition", In.Js("false", "Boolean")), ("then", A.WriteLine("then", "then")));
        var run = await Runner.StartAsync(new Flow()
            .Add(@if, A.WriteLine("f", "false port"))
            .Connect("if", "f", "False"));

        Assert.Equal(["false port"], run.Lines);
    }

    [Theory]
    [InlineData("MatchFirst", 5, new[] { "big", "after" })]
    [InlineData("MatchAny", 5, new[] { "big", "odd", "after" })]
    [InlineData("MatchFirst", 2, new[] { "default", "after" })]
    public async Task Switch_runs_the_activity_of_the_matching_cases_or_the_default(string mode, int n, string[] expected)
    {
        var @switch = A.Node("sw", "Elsa.Switch", ("mode", In.Literal(mode, "SwitchMode")),
            ("cases", new JsonArray(
                A.Case("Big", "getN() > 3", A.WriteLine("big", "big")),
                A.Case("Odd", "getN() % 2 == 1", A.WriteLine("odd", "odd")))),
            ("default", A.WriteLine("def", "default")));
        var run = await Runner.StartAsync(new Flow()
            .Variable("N", "Int32", n)
            .Add(A.Start(), @switch, A.WriteLine("after", "after"))
            .Chain("start", "sw", "after"));

        Assert.Equal(expected, run.Lines);
    }
}
