using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Acornima.Ast;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Runtime;
using Workflows.Engine.Execution;

namespace Workflows.Engine.Expressions;

/// <summary>
/// JavaScript expressions (Jint), with Elsa's functions: getVariable/setVariable, get{Name}/set{Name} for
/// each declared variable, getInput, getCurrentValue, getCorrelationId, getOutputFrom, getLastResult.
/// Every evaluation runs under statement, time, memory and recursion limits.
/// </summary>
internal sealed class JavaScriptEvaluator
{
    // Parsing is the costly part; a definition's scripts are parsed once per process.
    private static readonly ConcurrentDictionary<string, Prepared<Script>> Cache = new(StringComparer.Ordinal);
    private static readonly ScriptPreparationOptions Preparation = new()
    {
        ParsingOptions = new ScriptParsingOptions { AllowReturnOutsideFunction = true },
    };

    private readonly Jint.Engine _engine;
    private readonly WorkflowRun _run;
    private ActivityExecutionContext? _current;

    public JavaScriptEvaluator(WorkflowRun run, ScriptLimits limits)
    {
        _run = run;
        _engine = new Jint.Engine(o => o
            .MaxStatements(limits.MaxStatements)
            .TimeoutInterval(limits.Timeout)
            .LimitMemory(limits.MaxMemoryBytes)
            .LimitRecursion(limits.MaxRecursion)
            .Strict(false));
        DefineFunctions();
    }

    /// <summary>Parses a script; the exception message says what is wrong and where.</summary>
    public static Prepared<Script> Prepare(string code) =>
        Cache.GetOrAdd(code, c => Jint.Engine.PrepareScript(c, options: Preparation));

    public JsonNode? Evaluate(string code, ActivityExecutionContext context)
    {
        _current = context;
        try
        {
            var result = _engine.Evaluate(Prepare(code));
            return ToJson(result);
        }
        catch (JavaScriptException ex)
        {
            throw new ActivityFaultException($"Script error: {ex.Message} (line {ex.Location.Start.Line})", ex);
        }
        catch (Exception ex) when (ex is StatementsCountOverflowException)
        {
            throw new ActivityFaultException("Script stopped: it ran more statements than the limit allows (a runaway loop?).", ex);
        }
        catch (Exception ex) when (ex is MemoryLimitExceededException)
        {
            throw new ActivityFaultException("Script stopped: it used more memory than the limit allows.", ex);
        }
        catch (Exception ex) when (ex is RecursionDepthOverflowException)
        {
            throw new ActivityFaultException("Script stopped: its recursion went deeper than the limit allows.", ex);
        }
        catch (TimeoutException ex)
        {
            throw new ActivityFaultException("Script stopped: it ran longer than the time limit allows.", ex);
        }
        catch (Acornima.ParseErrorException ex)
        {
            throw new ActivityFaultException($"Script does not compile: {ex.Message}", ex);
        }
        catch (ScriptPreparationException ex)
        {
            // PrepareScript wraps the parser's error.
            throw new ActivityFaultException($"Script does not compile: {ex.InnerException?.Message ?? ex.Message}", ex);
        }
        finally
        {
            _current = null;
        }
    }

    private ActivityExecutionContext Current => _current ?? throw new InvalidOperationException("No activity is evaluating a script.");

    private void DefineFunctions()
    {
        _engine.SetValue("getVariable", new Func<string, JsValue>(name => ToJs(_run.GetVariable(name))));
        _engine.SetValue("setVariable", new Action<string, JsValue>((name, value) => _run.SetVariable(name, ToJson(value))));
        _engine.SetValue("getInput", new Func<string, JsValue>(name => ToJs(_run.State.Input[name])));
        _engine.SetValue("getWorkflowInput", new Func<string, JsValue>(name => ToJs(_run.State.Input[name])));
        _engine.SetValue("getCurrentValue", new Func<JsValue>(() => ToJs(Current.CurrentValue())));
        _engine.SetValue("getCorrelationId", new Func<string?>(() => _run.State.CorrelationId));
        _engine.SetValue("setCorrelationId", new Action<string?>(id => _run.State.CorrelationId = id));
        _engine.SetValue("getWorkflowInstanceId", new Func<string>(() => _run.State.InstanceId));
        _engine.SetValue("getWorkflowDefinitionId", new Func<string>(() => _run.State.DefinitionId));
        _engine.SetValue("getLastResult", new Func<JsValue>(() => ToJs(_run.State.LastResult)));
        _engine.SetValue("getOutputFrom", new Func<string, string?, JsValue>((activityId, name) =>
        {
            if (!_run.State.ActivityOutputs.TryGetValue(activityId, out var outputs)) return JsValue.Undefined;
            return ToJs(name is null ? outputs.FirstOrDefault().Value : outputs[name]);
        }));
        _engine.SetValue("isNullOrEmpty", new Func<JsValue, bool>(v => v.IsNull() || v.IsUndefined() || v.ToString().Length == 0));
        foreach (var v in _run.Definition.Variables)
        {
            var name = v.Name;
            if (!IsIdentifier(name)) continue;
            _engine.SetValue("get" + name, new Func<JsValue>(() => ToJs(_run.GetVariable(name))));
            _engine.SetValue("set" + name, new Action<JsValue>(value => _run.SetVariable(name, ToJson(value))));
        }
    }

    private JsValue ToJs(JsonNode? node) => node switch
    {
        null => JsValue.Null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => new JsString(v.GetValue<string>()),
        JsonValue v when v.GetValueKind() == JsonValueKind.True => JsBoolean.True,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => JsBoolean.False,
        JsonValue v when ValueConverter.AsDouble(v) is { } d => new JsNumber(d),
        _ => new JsonParser(_engine).Parse(node.ToJsonString()),
    };

    private JsonNode? ToJson(JsValue value)
    {
        if (value.IsNull() || value.IsUndefined()) return null;
        if (value.IsString()) return JsonValue.Create(value.AsString());
        if (value.IsBoolean()) return JsonValue.Create(value.AsBoolean());
        if (value.IsNumber())
        {
            var d = value.AsNumber();
            return d == Math.Floor(d) && Math.Abs(d) < 9e15 ? JsonValue.Create((long)d) : JsonValue.Create(d);
        }
        var json = new Jint.Native.Json.JsonSerializer(_engine).Serialize(value, JsValue.Undefined, JsValue.Undefined);
        return json.IsUndefined() ? null : JsonNode.Parse(json.AsString());
    }

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c == '_');
}
