using System.Text.Json.Nodes;
using Cronos;
using Workflows.Engine.Bookmarks;
using Workflows.Engine.Definitions;
using Workflows.Engine.Execution;
using Workflows.Engine.Expressions;
using Workflows.Engine.Validation;

namespace Workflows.Engine.Activities.Core;

/// <summary>Base for activities that wait until a moment: they leave a bookmark with a due time.</summary>
public abstract class TimerActivity : ActivityBehavior
{
    public const string TimerKind = "Timer";
    public override string Category => "Scheduling";
    public override bool Waits => true;

    protected abstract DateTimeOffset DueAt(ActivityExecutionContext context);

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var due = DueAt(context);
        context.CreateBookmark(stimulus: TypeName, dueAt: due, kind: TimerKind);
        return ValueTask.CompletedTask;
    }

    public override ValueTask OnResumeAsync(ActivityExecutionContext context, Bookmark bookmark, JsonNode? payload) =>
        context.CompleteAsync();

    protected static TimeSpan Span(ActivityExecutionContext context, string input) =>
        ValueConverter.AsTimeSpan(context.Evaluate(input)) ?? throw context.Fault($"'{input}' is not a time span (e.g. 00:05:00 or PT5M).");
}

/// <summary>Elsa.Delay: waits for a time span.</summary>
public sealed class Delay : TimerActivity
{
    public override string TypeName => "Elsa.Delay";
    protected override DateTimeOffset DueAt(ActivityExecutionContext context) => context.Now + Span(context, "timeSpan");
}

/// <summary>Elsa.Timer: waits one interval (as a trigger it would repeat; inside a flow it fires once).</summary>
public sealed class Timer : TimerActivity
{
    public override string TypeName => "Elsa.Timer";
    protected override DateTimeOffset DueAt(ActivityExecutionContext context) => context.Now + Span(context, "interval");
}

/// <summary>Elsa.StartAt: waits until a moment.</summary>
public sealed class StartAt : TimerActivity
{
    public override string TypeName => "Elsa.StartAt";

    protected override DateTimeOffset DueAt(ActivityExecutionContext context) =>
        ValueConverter.AsDateTime(context.Evaluate("dateTime")) ?? throw context.Fault("'dateTime' is not a date and time.");
}

/// <summary>Elsa.Cron: waits until the next occurrence of a cron expression (5 fields, or 6 with seconds first).</summary>
public sealed class Cron : TimerActivity
{
    public override string TypeName => "Elsa.Cron";

    protected override DateTimeOffset DueAt(ActivityExecutionContext context)
    {
        var text = context.EvaluateString("cronExpression") ?? "";
        if (!TryParse(text, out var cron, out var error)) throw context.Fault(error!);
        return cron!.GetNextOccurrence(context.Now, TimeZoneInfo.Utc)
               ?? throw context.Fault($"Cron expression '{text}' has no next occurrence.");
    }

    public static bool TryParse(string text, out CronExpression? cron, out string? error)
    {
        var parsed = TryParseCore(text, out cron, out var reason);
        error = parsed ? null : ParseError(text, reason);
        return parsed;
    }

    private static string ParseError(string text, string? reason) => $"Error when parsing cron expression '{text}': {reason}";

    // The reason is Cronos's own (English) sentence.
    private static bool TryParseCore(string text, out CronExpression? cron, out string? reason)
    {
        try
        {
            var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            cron = CronExpression.Parse(text, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
            reason = null;
            return true;
        }
        catch (CronFormatException ex)
        {
            cron = null;
            reason = ex.Message;
            return false;
        }
    }

    public override IEnumerable<ValidationProblem> Validate(ActivityNode node, ValidationContext context)
    {
        // Only a literal can be checked before the run; other expressions are checked for syntax only.
        var expression = node.Raw["cronExpression"]?["expression"];
        if (expression?["type"]?.ToString() is not ("Literal" or null) || expression?["value"] is not { } value) yield break;
        var text = ValueConverter.AsString(value) ?? "";
        if (!TryParseCore(text, out _, out var reason))
            yield return ValidationProblem.Error(node.Id, ParseError(text, reason),
                $"无法解析 Cron 表达式“{text}”：{reason}");
    }
}

/// <summary>Elsa.Event: waits until an event with its name is raised; the event's payload becomes its result.</summary>
public sealed class Event : ActivityBehavior
{
    public override string TypeName => "Elsa.Event";
    public override string Category => "Primitives";
    public override bool Waits => true;

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var name = context.EvaluateString("eventName");
        if (string.IsNullOrWhiteSpace(name)) throw context.Fault("Event has no event name.");
        context.CreateBookmark(stimulus: name);
        return ValueTask.CompletedTask;
    }

    public override ValueTask OnResumeAsync(ActivityExecutionContext context, Bookmark bookmark, JsonNode? payload)
    {
        context.SetOutput("result", payload);
        return context.CompleteAsync();
    }
}
