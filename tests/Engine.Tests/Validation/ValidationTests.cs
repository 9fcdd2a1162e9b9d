using System.Text.Json.Nodes;
using Workflows.Engine.Activities;
using Workflows.Engine.Tests.Support;
using Workflows.Engine.Validation;

namespace Workflows.Engine.Tests.Validation;

/// <summary>One test per kind of problem: its severity, the activity it names and a key phrase.</summary>
public sealed class ValidationTests
{
    private static ValidationReport Validate(string json) => DefinitionValidator.Validate(json, ActivityRegistry.CreateDefault());
    private static ValidationReport Validate(Flow flow) => Validate(flow.Json());

    private static ValidationProblem Only(ValidationReport report, Severity severity)
    {
        var problem = Assert.Single(report.Problems);
        Assert.Equal(severity, problem.Severity);
        Assert.Equal(severity != Severity.Error, report.Succeeded);
        return problem;
    }

    [Fact]
    public void A_valid_definition_has_no_problem()
    {
        var report = Validate(new Flow().Add(A.Start(), A.Event("ev", "go"), A.WriteLine("w", "x")).Chain("start", "ev", "w"));

        Assert.True(report.Succeeded);
        Assert.Empty(report.Problems);
    }

    [Fact]
    public void Malformed_JSON_names_the_line()
    {
        var problem = Only(Validate("{\n  \"definitionId\": \"d\",\n  \"root\": { \"id\": \"f\",, }\n}"), Severity.Error);

        Assert.Null(problem.ActivityId);
        Assert.Contains("not valid JSON", problem.Message);
        Assert.Contains("line 3", problem.Message);
    }

    [Fact]
    public void A_document_that_is_not_an_object_is_rejected()
    {
        Assert.Contains("must be a JSON object", Only(Validate("[1, 2]"), Severity.Error).Message);
    }

    [Fact]
    public void A_document_without_root_is_rejected()
    {
        Assert.Contains("no \"root\"", Only(Validate("""{"definitionId": "d"}"""), Severity.Error).Message);
    }

    [Fact]
    public void An_unknown_activity_type_is_an_error_on_that_activity()
    {
        var problem = Only(Validate(new Flow().Add(A.Node("t1", "Acme.Teleport"))), Severity.Error);

        Assert.Equal("t1", problem.ActivityId);
        Assert.Contains("Unknown activity type 'Acme.Teleport'", problem.Message);
    }

    [Fact]
    public void An_activity_without_an_id_is_an_error()
    {
        var nameless = new JsonObject { ["type"] = "Elsa.WriteLine", ["text"] = In.Literal("x") };
        var problem = Only(Validate(new Flow().Add(nameless)), Severity.Error);

        Assert.Null(problem.ActivityId);
        Assert.Contains("Elsa.WriteLine' has no id", problem.Message);
    }

    [Fact]
    public void A_duplicate_id_is_an_error_on_that_id()
    {
        var problem = Only(Validate(new Flow().Add(A.WriteLine("w1", "a"), A.WriteLine("w1", "b"))), Severity.Error);

        Assert.Equal("w1", problem.ActivityId);
        Assert.Contains("used by more than one activity", problem.Message);
    }

    [Fact]
    public void A_connection_from_a_missing_activity_is_an_error()
    {
        var problem = Only(Validate(new Flow().Add(A.WriteLine("w1", "a")).Connect("ghost", "w1")), Severity.Error);

        Assert.Equal("ghost", problem.ActivityId);
        Assert.Contains("starts at 'ghost'", problem.Message);
    }

    [Fact]
    public void A_connection_to_a_missing_activity_is_an_error()
    {
        var problem = Only(Validate(new Flow().Add(A.WriteLine("w1", "a")).Connect("w1", "nowhere")), Severity.Error);

        Assert.Equal("nowhere", problem.ActivityId);
        Assert.Contains("leads to 'nowhere'", problem.Message);
    }

    [Fact]
    public void A_flowchart_whose_every_activity_has_an_inbound_connection_has_no_way_to_start()
    {
        var problem = Only(Validate(new Flow().Add(A.Event("a", "x"), A.WriteLine("b", "b")).Chain("a", "b", "a")), Severity.Error);

        Assert.Equal("flow1", problem.ActivityId);
        Assert.Contains("no way to start", problem.Message);
    }

    [Fact]
    public void An_explicit_start_that_does_not_exist_is_an_error_on_the_flowchart()
    {
        var document = new Flow().Add(A.Start(), A.WriteLine("w", "w")).Chain("start", "w").Document();
        document["root"]!["start"] = "ghost";

        var problem = Only(Validate(document.ToJsonString()), Severity.Error);

        Assert.Equal("flow1", problem.ActivityId);
        Assert.Contains("The start activity 'ghost' does not exist", problem.Message);
    }

    [Fact]
    public void JavaScript_that_does_not_compile_is_an_error()
    {
        var problem = Only(Validate(new Flow().Add(A.WriteLineJs("w1", "getX("))), Severity.Error);

        Assert.Equal("w1", problem.ActivityId);
        Assert.Contains("JavaScript of 'text' does not compile", problem.Message);
    }

    [Fact]
    public void A_switch_case_condition_that_does_not_compile_is_an_error()
    {
        var flowSwitch = A.Node("sw", "Elsa.FlowSwitch", ("cases", new JsonArray(A.Case("Big", "getN() >"))));
        var problem = Only(Validate(new Flow().Add(flowSwitch)), Severity.Error);

        Assert.Equal("sw", problem.ActivityId);
        Assert.Contains("does not compile", problem.Message);
    }

    [Fact]
    public void A_Liquid_template_that_does_not_compile_is_an_error()
    {
        var problem = Only(Validate(new Flow().Add(A.Node("w1", "Elsa.WriteLine", ("text", In.Liquid("Hello {% if %}"))))), Severity.Error);

        Assert.Equal("w1", problem.ActivityId);
        Assert.Contains("Liquid template of 'text' does not compile", problem.Message);
    }

    [Fact]
    public void An_unsupported_expression_type_is_an_error()
    {
        var problem = Only(Validate(new Flow().Add(A.Node("w1", "Elsa.WriteLine", ("text", In.Expression("CSharp", "1 + 1"))))), Severity.Error);

        Assert.Equal("w1", problem.ActivityId);
        Assert.Contains("'CSharp'", problem.Message);
        Assert.Contains("not supported", problem.Message);
    }

    [Fact]
    public void A_bad_cron_expression_is_an_error()
    {
        var problem = Only(Validate(new Flow().Add(A.Node("cron", "Elsa.Cron", ("cronExpression", In.Literal("BadCronExpression"))))), Severity.Error);

        Assert.Equal("cron", problem.ActivityId);
        Assert.StartsWith("Error when parsing cron expression", problem.Message);
    }

    [Fact]
    public void A_loop_that_never_waits_and_has_no_way_out_is_an_error()
    {
        var problem = Only(Validate(new Flow().Add(A.Start(), A.WriteLine("a", "a"), A.WriteLine("b", "b")).Chain("start", "a", "b", "a")), Severity.Error);

        Assert.Contains(problem.ActivityId, new[] { "a", "b" });
        Assert.Contains("never waits and has no way out", problem.Message);
    }

    [Fact]
    public void A_loop_that_never_waits_but_has_a_conditional_exit_is_a_warning()
    {
        var problem = Only(Validate(new Flow()
            .Add(A.Start(), A.WriteLine("a", "a"), A.Decision("d", "true"), A.WriteLine("out", "out"))
            .Chain("start", "a", "d").Connect("d", "a", "True").Connect("d", "out", "False")), Severity.Warning);

        Assert.Contains(problem.ActivityId, new[] { "a", "d" });
        Assert.Contains("never waits", problem.Message);
    }

    [Fact]
    public void A_loop_that_waits_is_fine()
    {
        var report = Validate(new Flow().Add(A.Start(), A.Event("a", "tick"), A.WriteLine("b", "b")).Chain("start", "a", "b", "a"));

        Assert.Empty(report.Problems);
    }

    [Fact]
    public void An_unreachable_activity_is_a_warning()
    {
        var problem = Only(Validate(new Flow().Add(A.Start(), A.WriteLine("w", "w"), A.WriteLine("orphan", "o")).Chain("start", "w")), Severity.Warning);

        Assert.Equal("orphan", problem.ActivityId);
        Assert.Contains("cannot be reached", problem.Message);
    }

    [Fact]
    public void A_connection_from_an_outcome_the_activity_does_not_have_is_a_warning()
    {
        var problem = Only(Validate(new Flow().Add(A.Decision("d", "true"), A.WriteLine("w", "w")).Connect("d", "w", "Maybe")), Severity.Warning);

        Assert.Equal("d", problem.ActivityId);
        Assert.Contains("no outcome 'Maybe'", problem.Message);
    }

    [Fact]
    public void Several_problems_are_reported_at_once()
    {
        var report = Validate(new Flow()
            .Add(A.Start(), A.Node("t1", "Acme.Teleport"), A.WriteLineJs("js", "("), A.WriteLine("dup", "1"), A.WriteLine("dup", "2"))
            .Chain("start", "t1", "js", "dup").Connect("js", "ghost"));

        Assert.False(report.Succeeded);
        Assert.Contains(report.Errors, p => p.ActivityId == "t1" && p.Message.Contains("Unknown activity type"));
        Assert.Contains(report.Errors, p => p.ActivityId == "js" && p.Message.Contains("does not compile"));
        Assert.Contains(report.Errors, p => p.ActivityId == "dup" && p.Message.Contains("more than one"));
        Assert.Contains(report.Errors, p => p.ActivityId == "ghost" && p.Message.Contains("leads to 'ghost'"));
    }
}
