using System.Text.Json.Nodes;
using Workflows.Engine.Activities;
using Workflows.Engine.Definitions;

namespace Workflows.Engine.Validation;

/// <summary>Checks a definition and reports every problem at once, each with its activity id and a sentence.</summary>
public static class DefinitionValidator
{
    public static ValidationReport Validate(string json, ActivityRegistry registry)
    {
        var read = DefinitionReader.Read(json);
        return read.Definition is null ? new ValidationReport(null, read.Problems) : Validate(read.Definition, registry);
    }

    public static ValidationReport Validate(WorkflowDefinition definition, ActivityRegistry registry)
    {
        var problems = new List<ValidationProblem>();
        var context = new ValidationContext(definition, registry);
        if (string.IsNullOrWhiteSpace(definition.DefinitionId))
            problems.Add(ValidationProblem.Error(null, "The definition has no \"definitionId\".", "流程定义缺少流程编号（\"definitionId\"）。"));

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in definition.AllActivities)
        {
            if (string.IsNullOrWhiteSpace(node.Id))
                problems.Add(ValidationProblem.Error(null, $"An activity of type '{node.Type}' has no id.", $"有一个类型为“{node.Type}”的节点没有 id。"));
            else if (!seen.Add(node.Id))
                problems.Add(ValidationProblem.Error(node.Id, $"The id '{node.Id}' is used by more than one activity.", $"节点 id“{node.Id}”被多个节点使用。"));

            var behavior = registry.Find(node.Type);
            if (behavior is null)
            {
                problems.Add(ValidationProblem.Error(node.Id, $"Unknown activity type '{node.Type}'.", $"未知的节点类型“{node.Type}”。"));
                continue;
            }
            problems.AddRange(ExpressionChecks.Check(node));
            problems.AddRange(behavior.Validate(node, context));
            if (node.Type == Activities.Core.Flowchart.Type)
                problems.AddRange(FlowchartChecks.Check(node, context));
        }
        if (definition.Root.Type != Activities.Core.Flowchart.Type && registry.Contains(definition.Root.Type) is false)
            problems.Add(ValidationProblem.Error(definition.Root.Id, "The root activity must be a known activity (usually Elsa.Flowchart).",
                "根节点必须是已知的节点类型（通常是 Elsa.Flowchart）。"));
        return new ValidationReport(definition, problems);
    }
}
