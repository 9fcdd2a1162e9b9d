using System.Text.Json.Nodes;
using Workflows.Activities;
using Workflows.Engine.Activities;
using Workflows.Engine.Validation;
using Workflows.Host.Features.Designer;

namespace Workflows.Web.Tests;

/// <summary>What the simple designer compiles is a valid definition for the engine the Host runs.</summary>
public sealed class SimpleFlowCompilerTests
{
    private static readonly ActivityRegistry Registry = ActivityRegistry.CreateDefault().AddRange(ActivitiesRegistration.All());

    private static SimpleFlow EveryKind()
    {
        var flow = new SimpleFlow();
        flow.Start.Fields.AddRange([
            new FieldSpec { Name = "days", Label = "天数", Type = "number", Required = true },
            new FieldSpec { Name = "teacherId", Label = "教师", Type = "user", Required = true },
        ]);
        var first = SimpleNode.Create(NodeKinds.Approval, "n1", k => k);
        first.Mode = "Vote";
        first.Threshold = 0.667;
        first.DueInWorkingDays = 3;
        first.RemindBeforeDue = 1;
        first.FieldAccess["days"] = "edit";
        var condition = SimpleNode.Create(NodeKinds.Condition, "n2", k => k);
        condition.Branches[0].Condition = new ConditionSpec { Field = "days", Op = "gt", Value = "3" };
        condition.Branches[0].Nodes.Add(SimpleNode.Create(NodeKinds.SignOff, "n3", k => k));
        var parallel = SimpleNode.Create(NodeKinds.Parallel, "n4", k => k);
        parallel.Branches[0].Nodes.Add(SimpleNode.Create(NodeKinds.Cc, "n5", k => k));
        parallel.Branches[1].Nodes.Add(SimpleNode.Create(NodeKinds.Delay, "n6", k => k));
        var publicity = SimpleNode.Create(NodeKinds.Publicity, "n7", k => k);
        publicity.NomineesField = "teacherId";
        flow.Nodes.AddRange([first, condition, parallel, publicity]);
        return flow;
    }

    [Fact]
    public void EveryNodeKind_CompilesToAValidDefinition()
    {
        var json = SimpleFlowCompiler.Compile(EveryKind(), "every-kind", "每种节点", null);
        var report = DefinitionValidator.Validate(json.ToJsonString(), Registry);
        Assert.True(report.Succeeded, string.Join("\n", report.Errors));

        var types = json["root"]!["activities"]!.AsArray().Select(a => a!["type"]!.ToString()).ToList();
        Assert.Contains("Workflows.Approval", types);
        Assert.Contains("Elsa.FlowDecision", types);
        Assert.Contains("Elsa.FlowFork", types);
        Assert.Contains("Elsa.FlowJoin", types);
        Assert.Contains("Workflows.Cc", types);
        Assert.Contains("Elsa.Delay", types);
        Assert.Contains("Workflows.Publicity", types);
        Assert.All(json["root"]!["activities"]!.AsArray(), a => Assert.NotNull(a!["metadata"]?["designer"]?["position"]));
        Assert.Equal("WaitAll", json["root"]!["activities"]!.AsArray().Single(a => a!["type"]!.ToString() == "Elsa.FlowJoin")!["mode"]!["expression"]!["value"]!.ToString());
    }

    [Fact]
    public void TheTree_RoundTripsThroughCustomProperties()
    {
        var json = SimpleFlowCompiler.Compile(EveryKind(), "every-kind", "每种节点", null);
        var back = SimpleFlow.FromJson(json["customProperties"]!["simpleDesigner"]);
        Assert.NotNull(back);
        Assert.Equal(["n1", "n2", "n3", "n4", "n5", "n6", "n7"], back.AllNodes().Select(n => n.Id));
        Assert.Equal(0.667, back.Nodes[0].Threshold);
    }

    [Theory]
    [InlineData("eq", "语文", "String((getVariable(\"f\") ?? getInput(\"f\")) ?? \"\") === \"语文\"")]
    [InlineData("gte", "3", "Number((getVariable(\"f\") ?? getInput(\"f\"))) >= 3")]
    [InlineData("in", "语文、数学", "[\"语文\",\"数学\"].includes(String((getVariable(\"f\") ?? getInput(\"f\")) ?? \"\"))")]
    public void Conditions_BecomeJavaScriptOnTheFieldsLatestValue(string op, string value, string expected) =>
        Assert.Equal(expected, SimpleFlowCompiler.ConditionScript(new ConditionSpec { Field = "f", Op = op, Value = value }));
}
