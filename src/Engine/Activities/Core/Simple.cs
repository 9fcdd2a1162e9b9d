using System.Text.Json.Nodes;
using Workflows.Engine.Definitions;
using Workflows.Engine.Execution;
using Workflows.Engine.Expressions;

namespace Workflows.Engine.Activities.Core;

/// <summary>Elsa.Start: marks where a flowchart begins.</summary>
public sealed class Start : ActivityBehavior
{
    public const string Type = "Elsa.Start";
    public override string TypeName => Type;
    public override ValueTask ExecuteAsync(ActivityExecutionContext context) => context.CompleteAsync();
}

/// <summary>Elsa.End: completes the flowchart that holds it, whatever else is still running there.</summary>
public sealed class End : ActivityBehavior
{
    public override string TypeName => "Elsa.End";
    public override bool IsTerminal => true;
    public override IReadOnlyList<string> Ports(ActivityNode node) => [];
    public override ValueTask ExecuteAsync(ActivityExecutionContext context) => context.CompleteAsync();
}

/// <summary>Elsa.Complete: completes the enclosing flowchart with the given outcomes.</summary>
public sealed class Complete : ActivityBehavior
{
    public const string Type = "Elsa.Complete";
    public override string TypeName => Type;
    public override bool IsTerminal => true;
    public override IReadOnlyList<string> Ports(ActivityNode node) => [];

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var outcomes = context.Evaluate("outcomes") switch
        {
            JsonArray a => a.Select(ValueConverter.AsString).OfType<string>().ToArray(),
            { } v when ValueConverter.AsString(v) is { Length: > 0 } s => [s],
            _ => ["Done"],
        };
        return context.CompleteAsync(outcomes.Length == 0 ? ["Done"] : outcomes);
    }
}

/// <summary>Elsa.Finish: finishes the whole instance.</summary>
public sealed class Finish : ActivityBehavior
{
    public override string TypeName => "Elsa.Finish";
    public override IReadOnlyList<string> Ports(ActivityNode node) => [];

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.FinishWorkflow();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Elsa.WriteLine: writes its text to the console (and the run result).</summary>
public sealed class WriteLine : ActivityBehavior
{
    public const string Type = "Elsa.WriteLine";
    public override string TypeName => Type;

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.WriteLine(context.EvaluateString("text") ?? "");
        return context.CompleteAsync();
    }
}

/// <summary>Elsa.SetVariable: assigns its value to a variable.</summary>
public sealed class SetVariable : ActivityBehavior
{
    public override string TypeName => "Elsa.SetVariable";

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var name = VariableName(context.Node) ?? throw context.Fault("SetVariable has no variable.");
        context.SetVariable(name, context.Evaluate("value"));
        return context.CompleteAsync();
    }

    /// <summary>The variable is either {"id", "name", ...} or a plain name.</summary>
    public static string? VariableName(ActivityNode node) => node.Raw["variable"] switch
    {
        JsonObject o => o["name"]?.ToString() ?? o["id"]?.ToString(),
        JsonValue v => v.ToString(),
        _ => null,
    };
}

/// <summary>Elsa.SetOutput: sets one output of the workflow.</summary>
public sealed class SetOutput : ActivityBehavior
{
    public override string TypeName => "Elsa.SetOutput";

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var name = context.EvaluateString("outputName");
        if (string.IsNullOrEmpty(name)) throw context.Fault("SetOutput has no output name.");
        context.State.Output[name] = context.Evaluate("outputValue");
        return context.CompleteAsync();
    }
}

/// <summary>Elsa.Correlate: sets the instance's correlation id.</summary>
public sealed class Correlate : ActivityBehavior
{
    public override string TypeName => "Elsa.Correlate";

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.State.CorrelationId = context.EvaluateString("correlationId");
        return context.CompleteAsync();
    }
}

/// <summary>Elsa.Fault: faults the instance with a message.</summary>
public sealed class Fault : ActivityBehavior
{
    public override string TypeName => "Elsa.Fault";
    public override IReadOnlyList<string> Ports(ActivityNode node) => [];

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var code = context.EvaluateString("code");
        var message = context.EvaluateString("message") ?? "Fault";
        throw context.Fault(code is null ? message : $"{message} (code {code})");
    }
}
