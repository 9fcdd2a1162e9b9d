using System.Collections.Concurrent;
using Fluid;
using Workflows.Engine.Execution;

namespace Workflows.Engine.Expressions;

/// <summary>Liquid expressions (Fluid): {{ Variables.Name }}, {{ Input.Name }}, {{ Workflow.CorrelationId }}, {{ CurrentValue }}.</summary>
public static class LiquidEvaluator
{
    private static readonly FluidParser Parser = new();
    private static readonly ConcurrentDictionary<string, IFluidTemplate> Cache = new(StringComparer.Ordinal);

    public static bool TryParse(string template, out string? error)
    {
        var ok = Parser.TryParse(template, out _, out var message);
        error = ok ? null : message;
        return ok;
    }

    public static string Render(string template, ActivityExecutionContext context)
    {
        var parsed = Cache.GetOrAdd(template, t =>
            Parser.TryParse(t, out var tpl, out var error) ? tpl : throw new ActivityFaultException($"Liquid template does not compile: {error}"));
        var state = context.State;
        var model = new Dictionary<string, object?>
        {
            ["Variables"] = state.Variables.ToDictionary(v => v.Key, v => ValueConverter.ToPlain(v.Value)),
            ["Input"] = ValueConverter.ToPlain(state.Input),
            ["Output"] = ValueConverter.ToPlain(state.Output),
            ["CurrentValue"] = ValueConverter.ToPlain(context.CurrentValue()),
            ["Workflow"] = new Dictionary<string, object?>
            {
                ["InstanceId"] = state.InstanceId,
                ["DefinitionId"] = state.DefinitionId,
                ["CorrelationId"] = state.CorrelationId,
            },
        };
        var templateContext = new TemplateContext(model, new TemplateOptions(), allowModelMembers: true);
        foreach (var (key, value) in model) templateContext.SetValue(key, value);
        return parsed.Render(templateContext);
    }
}
