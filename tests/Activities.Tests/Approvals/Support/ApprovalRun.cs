using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Workflows.Activities.Approvals;
using Workflows.Activities.Calendar;
using Workflows.Activities.Tests.Calendar;
using Workflows.Engine.Activities;
using Workflows.Engine.Activities.Core;
using Workflows.Engine.Bookmarks;
using Workflows.Engine.Definitions;
using Workflows.Engine.Execution;

namespace Workflows.Activities.Tests.Approvals.Support;

/// <summary>
/// Drives one instance through the real engine (core activities plus these), with the test organisation, the
/// committed working-day calendar and a fake clock. The state goes through its JSON form before and after every
/// step, as a host stores it; what every step produced is collected.
/// </summary>
internal sealed class ApprovalRun
{
    private static readonly Lazy<WorkingDayCalendar> Calendar = new(() => CalendarFolders.LoadCommitted());

    /// <summary>Monday 2 March 2026, 09:00 in China (01:00 UTC).</summary>
    public static readonly DateTimeOffset Monday = At("2026-03-02 09:00");

    private string _json = "";

    public ApprovalRun(WorkflowDefinition definition, DateTimeOffset? start = null)
    {
        Definition = definition;
        Time = new FakeTimeProvider(start ?? Monday);
        Engine = new WorkflowEngine(
            ActivityRegistry.CreateDefault().AddRange(ActivitiesRegistration.All()),
            new WorkflowEngineOptions(), Time, new Services(Org, Calendar.Value));
    }

    /// <summary>A moment given as China Standard Time, e.g. "2026-09-24 09:00".</summary>
    public static DateTimeOffset At(string chinaTime) =>
        DateTimeOffset.Parse(chinaTime + " +08:00", System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime();

    public Org Org { get; } = new();
    public FakeTimeProvider Time { get; }
    public WorkflowEngine Engine { get; }
    public WorkflowDefinition Definition { get; }

    /// <summary>A fresh copy of the saved state.</summary>
    public WorkflowState State => WorkflowState.FromJson(_json);

    public RunResult Last { get; private set; } = null!;
    public List<OutgoingMessage> Messages { get; } = [];
    public List<JournalEntry> Journal { get; } = [];
    public List<string> Lines { get; } = [];

    public static Task<ApprovalRun> StartAsync(WorkflowDefinition definition, string? initiator = "teacher.e1",
        JsonObject? input = null, DateTimeOffset? start = null) =>
        new ApprovalRun(definition, start).StartAsync(initiator, input);

    public async Task<ApprovalRun> StartAsync(string? initiator = "teacher.e1", JsonObject? input = null)
    {
        Take(await Engine.StartAsync(Definition, new StartOptions { InstanceId = "inst-1", InitiatorId = initiator, Input = input }));
        return this;
    }

    public IReadOnlyList<Bookmark> Tasks => [.. State.Bookmarks.Where(b => b.Kind == Approval.BookmarkKind)];

    /// <summary>Who has a pending approval task, in the order the tasks were created.</summary>
    public IReadOnlyList<string> Pending => [.. Tasks.Select(b => b.Stimulus!)];

    public Bookmark TaskOf(string userId) => Assert.Single(Tasks, b => b.Stimulus == userId);

    public IReadOnlyList<Bookmark> Timers => [.. State.Bookmarks.Where(b => b.Kind == TimerActivity.TimerKind)];

    public Bookmark Timer(string purpose) => Assert.Single(Timers, b => b.Payload?["purpose"]?.ToString() == purpose);

    public static JsonObject Payload(string userId, string action, string? comment = null, JsonObject? fields = null,
        string[]? users = null, string? position = null, string? toStep = null)
    {
        var payload = new JsonObject { ["action"] = action, ["userId"] = userId };
        if (comment is not null) payload["comment"] = comment;
        if (fields is not null) payload["fields"] = fields;
        if (users is not null) payload["users"] = new JsonArray([.. users.Select(u => (JsonNode)u)]);
        if (position is not null) payload["position"] = position;
        if (toStep is not null) payload["toStep"] = toStep;
        return payload;
    }

    /// <summary>The user acts on their (single) task of the instance.</summary>
    public Task<ApprovalRun> ActAsync(string userId, string action, string? comment = null, JsonObject? fields = null,
        string[]? users = null, string? position = null, string? toStep = null) =>
        ResumeAsync(TaskOf(userId), Payload(userId, action, comment, fields, users, position, toStep));

    public Task<ApprovalRun> ApproveAsync(string userId, string? comment = null) => ActAsync(userId, ApprovalActions.Approve, comment);
    public Task<ApprovalRun> RejectAsync(string userId, string? comment = null) => ActAsync(userId, ApprovalActions.Reject, comment);

    public async Task<ApprovalRun> ResumeAsync(Bookmark bookmark, JsonNode? payload)
    {
        Take(await Engine.ResumeAsync(Definition, State, bookmark.Id, payload));
        return this;
    }

    /// <summary>Moves the clock to the timer's due time and fires it, as the host's timer job does (no payload).</summary>
    public async Task<ApprovalRun> FireAsync(Bookmark timer)
    {
        if (timer.DueAt is { } due && due > Time.GetUtcNow()) Time.SetUtcNow(due);
        Take(await Engine.ResumeAsync(Definition, State, timer.Id));
        return this;
    }

    public IEnumerable<OutgoingMessage> MessagesOf(string kind) => Messages.Where(m => m.Kind == kind);

    public JsonArray Decisions(string activityId) =>
        State.ActivityOutputs.TryGetValue(activityId, out var outputs) && outputs["decisions"] is JsonArray a ? a : [];

    public WorkflowStatus Status => State.Status;
    public WorkflowSubStatus SubStatus => State.SubStatus;

    private void Take(RunResult result)
    {
        Last = result;
        _json = result.State.ToJson();
        // Saving and loading must be lossless, or a reloaded instance could behave differently.
        Assert.Equal(_json, WorkflowState.FromJson(_json).ToJson());
        Messages.AddRange(result.Messages);
        Journal.AddRange(result.Journal);
        Lines.AddRange(result.WriteLines);
    }
}
