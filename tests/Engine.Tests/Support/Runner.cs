using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Workflows.Engine.Activities;
using Workflows.Engine.Bookmarks;
using Workflows.Engine.Definitions;
using Workflows.Engine.Execution;

namespace Workflows.Engine.Tests.Support;

/// <summary>
/// Drives one instance through the engine with a fake clock and collects what every step wrote.
/// With <see cref="SaveBetweenSteps"/> the state goes through its JSON form before each step, as a host would.
/// </summary>
internal sealed class Runner
{
    public static readonly DateTimeOffset Epoch = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    public Runner(WorkflowDefinition definition, WorkflowEngineOptions? options = null)
    {
        Definition = definition;
        Options = options ?? new WorkflowEngineOptions();
        Engine = new WorkflowEngine(ActivityRegistry.CreateDefault(), Options, Time);
    }

    public FakeTimeProvider Time { get; } = new(Epoch);
    public WorkflowEngineOptions Options { get; }
    public WorkflowEngine Engine { get; }
    public WorkflowDefinition Definition { get; }
    public bool SaveBetweenSteps { get; init; }
    public WorkflowState State { get; private set; } = null!;
    public RunResult Last { get; private set; } = null!;
    public List<string> Lines { get; } = [];

    public WorkflowStatus Status => State.Status;
    public WorkflowSubStatus SubStatus => State.SubStatus;

    public static Task<Runner> StartAsync(Flow flow, StartOptions? start = null, WorkflowEngineOptions? options = null) =>
        new Runner(flow.Definition(), options).StartAsync(start);

    public async Task<Runner> StartAsync(StartOptions? start = null)
    {
        Take(await Engine.StartAsync(Definition, start ?? new StartOptions { InstanceId = "instance-1" }));
        return this;
    }

    /// <summary>Resumes the one bookmark left by <paramref name="activityId"/>.</summary>
    public async Task<Runner> ResumeAsync(string activityId, JsonNode? payload = null)
    {
        var bookmark = BookmarkAt(activityId);
        Take(await Engine.ResumeAsync(Definition, Saved(), bookmark.Id, payload));
        return this;
    }

    public async Task<Runner> ResumeAsync(Bookmark bookmark, JsonNode? payload = null)
    {
        Take(await Engine.ResumeAsync(Definition, Saved(), bookmark.Id, payload));
        return this;
    }

    public async Task RetryAsync() => Take(await Engine.RetryAsync(Definition, Saved()));

    public async Task MoveTokenAsync(string from, string to) => Take(await Engine.MoveTokenAsync(Definition, Saved(), from, to));

    public void Cancel(string? reason = null) => Take(Engine.Cancel(Definition, Saved(), reason));

    public Bookmark BookmarkAt(string activityId) => Assert.Single(State.Bookmarks, b => b.ActivityId == activityId);

    public IEnumerable<string> WaitingAt => State.Bookmarks.Select(b => b.ActivityId);

    public JsonNode? Variable(string name) => State.Variables.GetValueOrDefault(name);

    private WorkflowState Saved() => SaveBetweenSteps ? WorkflowState.FromJson(State.ToJson()) : State;

    private void Take(RunResult result)
    {
        Last = result;
        State = result.State;
        Lines.AddRange(result.WriteLines);
    }
}
