using System.Text.Json.Nodes;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Activities;

public sealed class VariableAndOutputTests
{
    [Fact]
    public async Task SetVariable_coerces_a_JavaScript_double_to_an_Int32_variable()
    {
        var run = await Runner.StartAsync(new Flow()
            .Variable("Count", "Int32", "0")
            .Add(A.SetVariable("set", "Count", In.Js("20 / 3")), A.WriteLineJs("w1", "typeof getCount() + ' ' + getCount()"))
            .Chain("set", "w1"));

        Assert.Equal("7", run.Variable("Count")!.ToJsonString());
        Assert.Equal(["number 7"], run.Lines);
    }

    [Fact]
    public async Task An_Int32_variable_declared_with_a_text_default_starts_as_a_number()
    {
        var run = await Runner.StartAsync(new Flow()
            .Variable("N", "Int32", "5")
            .Add(A.WriteLineJs("w1", "getN() + 1")));

        Assert.Equal(["6"], run.Lines);
    }

    [Fact]
    public async Task SetVariable_stores_text_in_a_String_variable()
    {
        var run = await Runner.StartAsync(new Flow()
            .Variable("S", "String")
            .Add(A.SetVariable("set", "S", In.Js("40 + 2")), A.WriteLineJs("w1", "getS() + 1"))
            .Chain("set", "w1"));

        Assert.Equal("\"42\"", run.Variable("S")!.ToJsonString());
        Assert.Equal(["421"], run.Lines);
    }

    [Fact]
    public async Task SetVariable_can_set_an_undeclared_variable_seen_by_getVariable()
    {
        var run = await Runner.StartAsync(new Flow()
            .Add(A.SetVariable("set", "Loose", In.Literal("free")), A.WriteLineJs("w1", "getVariable('Loose')"))
            .Chain("set", "w1"));

        Assert.Equal(["free"], run.Lines);
    }

    [Fact]
    public async Task SetOutput_sets_workflow_outputs_from_JavaScript_and_Object_expressions()
    {
        var run = await Runner.StartAsync(new Flow()
            .Add(A.SetOutput("o1", "total", In.Js("6 * 7")), A.SetOutput("o2", "order", In.Object("{\"id\":\"A7\",\"tags\":[true]}")))
            .Chain("o1", "o2"));

        Assert.Equal(42L, (long)run.State.Output["total"]!);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{\"id\":\"A7\",\"tags\":[true]}"), run.State.Output["order"]));
    }

    [Fact]
    public async Task Correlate_sets_the_correlation_id_seen_by_getCorrelationId()
    {
        var run = await Runner.StartAsync(new Flow()
            .Add(A.Node("c", "Elsa.Correlate", ("correlationId", In.Literal("order-42"))), A.WriteLineJs("w1", "getCorrelationId()"))
            .Chain("c", "w1"));

        Assert.Equal("order-42", run.State.CorrelationId);
        Assert.Equal(["order-42"], run.Lines);
    }
}
