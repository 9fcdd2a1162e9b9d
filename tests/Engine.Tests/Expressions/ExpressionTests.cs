using System.Text.Json.Nodes;
using Workflows.Engine.Execution;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Expressions;

/// <summary>Literal, Variable, Object, JavaScript (with Elsa's functions) and Liquid expressions.</summary>
public sealed class ExpressionTests
{
    private static async Task<List<string>> Lines(Flow flow, StartOptions? start = null) => (await Runner.StartAsync(flow, start)).Lines;

    private static JsonObject Text(string id, JsonObject input) => A.Node(id, "Elsa.WriteLine", ("text", input));

    [Fact]
    public async Task A_Literal_is_its_value_converted_to_the_input_type()
    {
        Assert.Equal(["plain", "42", "true"], await Lines(new Flow()
            .Add(Text("a", In.Literal("plain")), Text("b", In.Literal(42, "Int32")), Text("c", In.Literal(true, "Boolean")))
            .Chain("a", "b", "c")));
    }

    [Fact]
    public async Task A_Variable_expression_reads_the_variable_by_name_or_by_reference()
    {
        var byName = A.Node("b", "Elsa.WriteLine", ("text", In.Expression("Variable", "Greeting", "String")));
        Assert.Equal(["hello", "hello"], await Lines(new Flow()
            .Variable("Greeting", "String", "hello")
            .Add(Text("a", In.Variable("Greeting", "String")), byName)
            .Chain("a", "b")));
    }

    [Fact]
    public async Task An_Object_expression_is_parsed_JSON()
    {
        var run = await Runner.StartAsync(new Flow()
            .Variable("Order")
            .Add(A.SetVariable("set", "Order", In.Object("""{"id": "A7", "lines": [1, 2]}""")), A.WriteLineJs("w", "getOrder().lines.length + ' lines'"))
            .Chain("set", "w"));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"id":"A7","lines":[1,2]}"""), run.Variable("Order")));
        Assert.Equal(["2 lines"], run.Lines);
    }

    [Fact]
    public async Task JavaScript_reads_and_writes_variables_with_getVariable_setVariable_and_the_named_accessors()
    {
        var run = await Runner.StartAsync(new Flow()
            .Variable("A", "Int32", 20)
            .Variable("B", "Int32", 0)
            .Add(A.WriteLineJs("w1", "setVariable('B', getVariable('A') + 1); 'set'"), A.WriteLineJs("w2", "setA(getB() * 2); getA() + '/' + getB()"))
            .Chain("w1", "w2"));

        Assert.Equal(["set", "42/21"], run.Lines);
        Assert.Equal(42L, (long)run.Variable("A")!);
    }

    [Fact]
    public async Task JavaScript_reads_workflow_input_and_the_correlation_id()
    {
        var start = new StartOptions { InstanceId = "i-9", CorrelationId = "corr-3", Input = new JsonObject { ["Name"] = "Ada", ["Age"] = 36 } };

        Assert.Equal(["Ada is 36 (corr-3, i-9)"], await Lines(new Flow()
            .Add(A.WriteLineJs("w", "getInput('Name') + ' is ' + getInput('Age') + ' (' + getCorrelationId() + ', ' + getWorkflowInstanceId() + ')'")), start));
    }

    [Fact]
    public async Task JavaScript_reads_another_activity_output_and_the_last_result()
    {
        var run = await Runner.StartAsync(new Flow()
            .Add(A.Start(), A.Event("ev", "paid"), A.WriteLineJs("w", "getOutputFrom('ev', 'result').amount + ' / ' + getLastResult().amount"))
            .Chain("start", "ev", "w"));

        await run.ResumeAsync("ev", JsonNode.Parse("""{"amount": 12.5}"""));

        Assert.Equal(["12.5 / 12.5"], run.Lines);
    }

    [Fact]
    public async Task JavaScript_objects_come_back_as_JSON_and_whole_numbers_as_integers()
    {
        var run = await Runner.StartAsync(new Flow()
            .Add(A.SetOutput("o1", "obj", In.Js("({ a: 1, b: [true, 'x'], c: 1.5 })")), A.SetOutput("o2", "n", In.Js("6 / 2")))
            .Chain("o1", "o2"));

        Assert.Equal("""{"a":1,"b":[true,"x"],"c":1.5}""", run.State.Output["obj"]!.ToJsonString());
        Assert.Equal("3", run.State.Output["n"]!.ToJsonString());
    }

    [Fact]
    public async Task Liquid_renders_variables_input_and_workflow_properties()
    {
        var start = new StartOptions { InstanceId = "i-1", CorrelationId = "c-1", Input = new JsonObject { ["City"] = "Lyon" } };
        var flow = new Flow()
            .Variable("Name", "String", "Ada")
            .Add(Text("w", In.Liquid("Hello {{ Variables.Name }} from {{ Input.City }} ({{ Workflow.CorrelationId }})")));

        Assert.Equal(["Hello Ada from Lyon (c-1)"], await Lines(flow, start));
    }

    [Fact]
    public async Task Liquid_sees_the_current_loop_value()
    {
        Assert.Equal(["#a", "#b"], await Lines(new Flow()
            .Add(A.Node("each", "Elsa.ForEach", ("items", In.Object("[\"a\",\"b\"]")), ("body", Text("w", In.Liquid("#{{ CurrentValue }}")))))));
    }

    [Fact]
    public async Task An_unsupported_expression_type_faults_when_evaluated()
    {
        var run = await Runner.StartAsync(new Flow().Add(Text("w", In.Expression("CSharp", "1 + 1"))));

        Assert.Equal(WorkflowSubStatus.Faulted, run.SubStatus);
        Assert.Contains("'CSharp' is not supported", Assert.Single(run.State.Incidents).Message);
    }
}
