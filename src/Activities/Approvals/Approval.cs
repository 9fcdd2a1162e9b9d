using System.Text.Json.Nodes;
using Workflows.Activities.People;
using Workflows.Engine.Activities;
using Workflows.Engine.Activities.Core;
using Workflows.Engine.Bookmarks;
using Workflows.Engine.Definitions;
using Workflows.Engine.Execution;
using Workflows.Engine.Expressions;
using Workflows.Engine.Validation;

namespace Workflows.Activities.Approvals;

/// <summary>
/// Workflows.Approval (审批): a step where people approve or reject. Each pending assignee is one bookmark of kind
/// <see cref="BookmarkKind"/> whose stimulus is the assignee's user id; reminders and the due date are "Timer"
/// bookmarks. The step leaves through Approved, Rejected or Returned (or moves back to an earlier step).
/// The contract with the host is written down in docs/approvals.md.
/// </summary>
public sealed class Approval : ActivityBehavior
{
    public const string Type = "Workflows.Approval";

    /// <summary>Kind of the task bookmarks (one per pending assignee).</summary>
    public const string BookmarkKind = Type;

    /// <summary>"taskKind" of the task bookmarks' payload.</summary>
    public const string TaskKind = "Approval";

    public const string Approved = "Approved";
    public const string Rejected = "Rejected";
    public const string Returned = "Returned";

    /// <summary>"purpose" of the step's timer bookmarks.</summary>
    public const string PurposeReminder = "reminder";
    public const string PurposeTimeout = "timeout";

    /// <summary>The user id decisions made by the step itself are recorded under (auto-approval, timeout).</summary>
    public const string SystemUser = "system";

    /// <summary>Key of this activity's instance-level state in <see cref="WorkflowState.Properties"/>.</summary>
    public const string InstancePropertyKey = Type;

    public override string TypeName => Type;
    public override string Category => "Approvals";
    public override bool Waits => true;
    public override IReadOnlyList<string> Ports(ActivityNode node) => [Approved, Rejected, Returned];

    // Start ------------------------------------------------------------------------------------------

    public override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var step = ReadInputs(context);
        var whenNobody = Choice(context, "whenNobody", WhenNobody.Known, WhenNobody.AutoApprove);
        var whenInitiator = Choice(context, "whenInitiator", WhenInitiator.Known, WhenInitiator.Allow);
        var dedupe = context.HasInput("dedupe") && context.EvaluateBool("dedupe");
        var resolver = AssigneeResolver.For(context);

        var users = await resolver.ResolveAsync(AssigneeResolver.Rules(context, "assignees"));
        if (users.Count == 0)
        {
            switch (whenNobody)
            {
                case WhenNobody.Reject:
                    Record(context, step, SystemUser, "autoReject", "没有审批人，自动拒绝");
                    await FinishAsync(context, step, Rejected);
                    return;
                case WhenNobody.Admin:
                    users = await resolver.ActiveDistinctAsync(await resolver.Directory.AdministratorsAsync());
                    if (users.Count == 0) throw context.Fault($"'{step.StepName}' has no assignee and there is no active administrator to take it.");
                    context.Journal(ApprovalJournalEvents.TaskAction, $"{SystemUser} admin → {string.Join(", ", users)}: 没有审批人，交给管理员");
                    break;
                default:
                    Record(context, step, SystemUser, "autoApprove", "没有审批人，自动通过");
                    await FinishAsync(context, step, Approved);
                    return;
            }
        }

        if (context.State.InitiatorId is { } initiator && whenInitiator != WhenInitiator.Allow && users.Contains(initiator))
        {
            var replaced = new List<string>();
            foreach (var user in users)
            {
                if (user != initiator) replaced.Add(user);
                else if (whenInitiator == WhenInitiator.Principal) replaced.AddRange(await resolver.PrincipalsOfAsync(initiator));
            }
            users = [.. (await resolver.ActiveDistinctAsync(replaced)).Where(u => u != initiator)];
            context.Journal(ApprovalJournalEvents.TaskAction, whenInitiator == WhenInitiator.Skip
                ? $"{initiator} skipped: 审批人是发起人本人，跳过"
                : $"{initiator} replaced → {string.Join(", ", users)}: 审批人是发起人本人，交给其校长");
            if (users.Count == 0)
            {
                Record(context, step, SystemUser, "autoApprove", "审批人是发起人本人，自动通过");
                await FinishAsync(context, step, Approved);
                return;
            }
        }

        step.Seats = [.. users.Select(u => new ApprovalSeat { Tasks = [step.NewTask(u)] })];
        if (dedupe)
        {
            var previous = PreviousApprovers(context);
            foreach (var task in step.Tasks.Where(t => previous.Contains(t.UserId)))
            {
                task.State = ApprovalTaskState.AutoApproved;
                Record(context, step, task.UserId, "autoApprove", "已在上一审批步骤同意，自动通过");
            }
        }

        if (await PumpAsync(context, step)) return;

        var calendar = ApprovalSchedule.CalendarOf(context);
        if (step.DueAt is { } due) CreateTimer(context, due, PurposeTimeout);
        if (ApprovalSchedule.FirstReminder(calendar, context.Now, step) is { } reminder) CreateTimer(context, reminder, PurposeReminder);
        Save(context, step);
    }

    private static ApprovalStepState ReadInputs(ActivityExecutionContext context)
    {
        var step = new ApprovalStepState
        {
            StepName = context.EvaluateString("stepName") is { Length: > 0 } name ? name : context.Node.DisplayName,
            Mode = Choice(context, "mode", ApprovalModes.Known, ApprovalModes.Sequential),
            TimeoutAction = Choice(context, "timeoutAction", TimeoutActions.Known, TimeoutActions.Remind),
        };

        if (step.Mode == ApprovalModes.Vote)
        {
            step.Threshold = ValueConverter.AsDouble(context.Evaluate("threshold")) ?? 0.5;
            if (step.Threshold is <= 0 or > 1 || double.IsNaN(step.Threshold))
                throw context.Fault($"'threshold' must be a share above 0 and at most 1 (e.g. 0.667), not {step.Threshold}.");
        }

        step.Form = context.Evaluate("form") switch
        {
            null => null,
            JsonObject form => form,
            _ => throw context.Fault("'form' must be an object {\"fields\": [...]}."),
        };

        if (context.HasInput("actions"))
        {
            var actions = AssigneeRule.StringsOf(context.Evaluate("actions"));
            if (actions.FirstOrDefault(a => !ApprovalActions.All.Contains(a)) is { } unknown)
                throw context.Fault($"'actions': unknown action '{unknown}' (known: {string.Join(", ", ApprovalActions.All)}).");
            step.Actions = [.. actions.Distinct()];
        }

        if (ValueConverter.AsDouble(context.Evaluate("dueInWorkingDays")) is { } days)
        {
            if (days < 0) throw context.Fault($"'dueInWorkingDays' must not be negative ({days}).");
            if (days >= 1) step.DueAt = ApprovalSchedule.Add(ApprovalSchedule.CalendarOf(context), context.Now, (int)Math.Round(days));
        }

        if (context.Evaluate("reminders") is JsonObject reminders)
        {
            step.RemindBefore = WorkingDays(reminders["beforeDueWorkingDays"]);
            step.RemindEvery = WorkingDays(reminders["everyWorkingDays"]);
        }

        // Malformed rules fault now, not when the step completes or times out.
        step.Cc = context.Evaluate("cc");
        RulesOf(context, "cc", step.Cc);
        step.EscalateTo = context.Evaluate("escalateTo");
        if (RulesOf(context, "escalateTo", step.EscalateTo).Count == 0 && step.TimeoutAction == TimeoutActions.Escalate)
            throw context.Fault("'timeoutAction' Escalate needs 'escalateTo' (a rule naming who takes the overdue tasks).");
        return step;
    }

    private static IReadOnlyList<AssigneeRule> RulesOf(ActivityExecutionContext context, string input, JsonNode? value)
    {
        try { return AssigneeRule.ParseList(value); }
        catch (FormatException ex) { throw context.Fault($"'{input}': {ex.Message}"); }
    }

    // Tasks and decisions ----------------------------------------------------------------------------

    public override async ValueTask OnResumeAsync(ActivityExecutionContext context, Bookmark bookmark, JsonNode? payload)
    {
        var step = ApprovalStepState.FromJson(context.Record.Properties)
                   ?? throw context.Fault("The approval step has lost its state.");
        if (bookmark.Kind == TimerActivity.TimerKind)
        {
            await OnTimerAsync(context, step, bookmark);
            return;
        }

        var (seat, task) = step.FindByBookmark(bookmark.Id)
                           ?? throw context.Fault($"No task of '{step.StepName}' waits on bookmark {bookmark.Id}.");
        var request = ApprovalRequest.Parse(payload);
        var errors = await ApprovalTaskCheck.CheckAsync(bookmark, payload, AssigneeResolver.For(context).Directory, context.Definition, context.State);
        if (errors.Count > 0)
        {
            // Refused: the task stays exactly as it was (same bookmark), nothing else changes.
            context.KeepBookmark(bookmark);
            context.Journal(ApprovalJournalEvents.TaskActionRefused,
                $"{request.UserId ?? "?"} {request.Action ?? "?"}: {string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value}"))}");
            return;
        }

        if (request.Decides)
            foreach (var (name, value) in ApprovalForm.Values(step.Form, request.Fields))
                context.SetVariable(name, value);

        var actor = request.UserId!;
        task.BookmarkId = null;
        switch (request.Action)
        {
            case ApprovalActions.Approve or ApprovalActions.Reject when task.Advice:
                task.State = ApprovalTaskState.Advised;
                Record(context, step, actor, request.Action, request.Comment, adviceFor: task.DelegatedFrom);
                break;
            case ApprovalActions.Approve:
                task.State = ApprovalTaskState.Approved;
                Record(context, step, actor, request.Action, request.Comment);
                break;
            case ApprovalActions.Reject:
                task.State = ApprovalTaskState.Rejected;
                Record(context, step, actor, request.Action, request.Comment);
                break;
            case ApprovalActions.Return:
                Record(context, step, actor, request.Action, request.Comment, toStep: request.ToStep);
                if (request.ToStep is { } toStep)
                {
                    context.SetOutput("decisions", step.DecisionsJson());
                    ForgetApprovers(context);
                    context.MoveTo(toStep);
                    return;
                }
                await FinishAsync(context, step, Returned);
                return;
            case ApprovalActions.Transfer:
                Record(context, step, actor, request.Action, request.Comment, request.Users);
                task.DelegatedFrom = actor;
                task.UserId = request.Users[0];
                task.State = ApprovalTaskState.Waiting;
                break;
            case ApprovalActions.Delegate:
                Record(context, step, actor, request.Action, request.Comment, request.Users);
                seat.Tasks.Insert(seat.Tasks.IndexOf(task), step.NewTask(request.Users[0], delegatedFrom: actor, advice: true));
                task.State = ApprovalTaskState.Waiting;
                break;
            case ApprovalActions.AddSigner:
                Record(context, step, actor, request.Action, request.Comment, request.Users, request.Position);
                var signers = request.Users.Select(u => step.NewTask(u, addedBy: actor)).ToList();
                if (request.Position == ApprovalActions.PositionBefore)
                {
                    seat.Tasks.InsertRange(seat.Tasks.IndexOf(task), signers);
                    task.State = ApprovalTaskState.Waiting;
                }
                else
                {
                    seat.Tasks.InsertRange(seat.Tasks.IndexOf(task) + 1, signers);
                    task.State = ApprovalTaskState.Approved;
                }
                break;
        }

        if (await PumpAsync(context, step)) return;
        Save(context, step);
    }

    /// <summary>
    /// Decides the step when its mode allows, otherwise hands out the next tasks (the first open seat in
    /// Sequential mode, every open seat otherwise). True when the step completed.
    /// </summary>
    private static async ValueTask<bool> PumpAsync(ActivityExecutionContext context, ApprovalStepState step)
    {
        if (Decide(step) is { } outcome)
        {
            await FinishAsync(context, step, outcome);
            return true;
        }
        var open = step.Seats.Where(s => s.Vote == SeatVote.Open);
        if (step.Mode == ApprovalModes.Sequential) open = open.Take(1);
        foreach (var seat in open.ToList())
            if (!seat.HasPending && seat.NextWaiting is { } next)
                Assign(context, step, next);
        return false;
    }

    private static string? Decide(ApprovalStepState step)
    {
        var total = step.Seats.Count;
        var approved = step.Seats.Count(s => s.Vote == SeatVote.Approved);
        var rejected = step.Seats.Count(s => s.Vote == SeatVote.Rejected);
        switch (step.Mode)
        {
            case ApprovalModes.Any:
                return approved > 0 ? Approved : rejected > 0 ? Rejected : null;
            case ApprovalModes.Vote:
                var needed = VotesNeeded(step.Threshold, total);
                return approved >= needed ? Approved : total - rejected < needed ? Rejected : null;
            default:
                return rejected > 0 ? Rejected : approved == total ? Approved : null;
        }
    }

    /// <summary>
    /// Approvals a vote needs: the smallest count whose share reaches the threshold. Shares are compared with a
    /// tolerance of 0.001, so 0.667 means two thirds (2 of 3 pass) and 0.5 means half.
    /// </summary>
    public static int VotesNeeded(double threshold, int voters) =>
        Math.Clamp((int)Math.Ceiling((threshold - 0.001) * voters - 1e-9), 1, Math.Max(voters, 1));

    private static void Assign(ActivityExecutionContext context, ApprovalStepState step, ApprovalTask task)
    {
        var payload = new JsonObject
        {
            ["taskKind"] = TaskKind,
            ["taskId"] = task.Id,
            ["stepName"] = step.StepName,
            ["assigneeId"] = task.UserId,
            ["dueAt"] = step.DueAt is { } due ? JsonValue.Create(Iso(due)) : null,
            ["form"] = step.Form?.DeepClone(),
            ["actions"] = new JsonArray([.. (task.Advice ? ApprovalActions.Advice : step.Actions.AsEnumerable()).Select(a => (JsonNode)a)]),
            ["delegatedFrom"] = task.DelegatedFrom,
            ["mode"] = step.Mode,
            ["advice"] = task.Advice,
        };
        // No due time on the bookmark itself: a bookmark with one is a timer to the host.
        var bookmark = context.CreateBookmark(stimulus: task.UserId, payload: payload, kind: BookmarkKind);
        task.BookmarkId = bookmark.Id;
        task.State = ApprovalTaskState.Pending;
    }

    // Reminders and the due date ---------------------------------------------------------------------

    private static async ValueTask OnTimerAsync(ActivityExecutionContext context, ApprovalStepState step, Bookmark bookmark)
    {
        var calendar = ApprovalSchedule.CalendarOf(context);
        var firedFor = bookmark.DueAt ?? context.Now;
        if (bookmark.Payload?["purpose"]?.ToString() == PurposeTimeout)
        {
            step.Overdue = true;
            foreach (var other in context.Bookmarks.Where(b => b.Kind == TimerActivity.TimerKind).ToList())
                context.RemoveBookmark(other);

            var action = step.TimeoutAction;
            if (action == TimeoutActions.Escalate && !await EscalateAsync(context, step))
                action = TimeoutActions.Remind;
            switch (action)
            {
                case TimeoutActions.Approve:
                    Record(context, step, SystemUser, "timeoutApprove", "超过办理期限，自动通过");
                    await FinishAsync(context, step, Approved);
                    return;
                case TimeoutActions.Reject:
                    Record(context, step, SystemUser, "timeoutReject", "超过办理期限，自动拒绝");
                    await FinishAsync(context, step, Rejected);
                    return;
                case TimeoutActions.Remind:
                    step.RemindEvery ??= 1; // overdue: remind every working day unless told otherwise
                    SendReminder(context, step);
                    break;
            }
        }
        else
        {
            SendReminder(context, step);
        }

        if (ApprovalSchedule.NextReminder(calendar, firedFor, step) is { } next) CreateTimer(context, next, PurposeReminder);
        Save(context, step);
    }

    /// <summary>
    /// Escalation replaces the assignee of every pending task by the first user "escalateTo" names (who then
    /// decides in their place; the task shows whom it came from). False when the rule names nobody.
    /// </summary>
    private static async ValueTask<bool> EscalateAsync(ActivityExecutionContext context, ApprovalStepState step)
    {
        var rules = AssigneeRule.ParseList(step.EscalateTo);
        var target = (await AssigneeResolver.For(context).ResolveAsync(rules)).FirstOrDefault();
        if (target is null)
        {
            context.Journal(ApprovalJournalEvents.TaskEscalated, $"{step.StepName}: 'escalateTo' names nobody; reminding instead");
            return false;
        }

        var moved = new List<string>();
        foreach (var task in step.PendingTasks.Where(t => t.UserId != target).ToList())
        {
            if (context.Bookmarks.FirstOrDefault(b => b.Id == task.BookmarkId) is { } old) context.RemoveBookmark(old);
            moved.Add(task.UserId);
            task.DelegatedFrom = task.UserId;
            task.UserId = target;
            task.BookmarkId = null;
            task.State = ApprovalTaskState.Waiting;
        }
        Record(context, step, SystemUser, "escalate", $"超过办理期限，升级给 {target}", [target]);
        context.Journal(ApprovalJournalEvents.TaskEscalated, $"{string.Join(", ", moved)} → {target}");
        await PumpAsync(context, step);
        return true;
    }

    private static void SendReminder(ActivityExecutionContext context, ApprovalStepState step)
    {
        var users = step.PendingTasks.Select(t => t.UserId).Distinct().ToList();
        if (users.Count == 0) return;
        context.Send(new OutgoingMessage(MessageKinds.TaskReminder, context.Node.Id, new JsonObject
        {
            ["userIds"] = new JsonArray([.. users.Select(u => (JsonNode)u)]),
            ["stepName"] = step.StepName,
            ["dueAt"] = step.DueAt is { } due ? JsonValue.Create(Iso(due)) : null,
            ["overdue"] = step.Overdue,
        }));
        context.Journal(ApprovalJournalEvents.TaskReminder, $"{step.StepName}: {string.Join(", ", users)}");
    }

    private static void CreateTimer(ActivityExecutionContext context, DateTimeOffset dueAt, string purpose) =>
        context.CreateBookmark(stimulus: Type, dueAt: dueAt, payload: new JsonObject { ["purpose"] = purpose }, kind: TimerActivity.TimerKind);

    // Completion -------------------------------------------------------------------------------------

    /// <summary>
    /// Completes the step. On Approved, the people it approved by are remembered for the next step's 去重 and
    /// the CC recipients get a "cc" message (at this moment, so a CC never precedes the decision).
    /// </summary>
    private static async ValueTask FinishAsync(ActivityExecutionContext context, ApprovalStepState step, string outcome)
    {
        context.SetOutput("decisions", step.DecisionsJson());
        context.SetOutput("outcome", outcome);
        if (outcome == Approved)
        {
            var approvers = step.Tasks
                .Where(t => t is { Advice: false, State: ApprovalTaskState.Approved or ApprovalTaskState.AutoApproved })
                .Select(t => t.UserId).Distinct().ToList();
            if (approvers.Count > 0) RememberApprovers(context, approvers);

            var ccRules = AssigneeRule.ParseList(step.Cc);
            var cc = ccRules.Count == 0 ? [] : await AssigneeResolver.For(context).ResolveAsync(ccRules);
            if (cc.Count > 0)
                context.Send(new OutgoingMessage(MessageKinds.Cc, context.Node.Id, new JsonObject
                {
                    ["userIds"] = new JsonArray([.. cc.Select(u => (JsonNode)u)]),
                    ["stepName"] = step.StepName,
                }));
        }
        else
        {
            ForgetApprovers(context);
        }
        context.Journal(ApprovalJournalEvents.ApprovalCompleted, $"{step.StepName}: {outcome}");
        await context.CompleteAsync(outcome);
    }

    private static void Save(ActivityExecutionContext context, ApprovalStepState step)
    {
        context.Record.Properties = step.ToJson();
        context.SetOutput("decisions", step.DecisionsJson());
        if (context.Bookmarks.Any()) context.Record.Status = ActivityStatus.Suspended;
    }

    private static void Record(ActivityExecutionContext context, ApprovalStepState step, string userId, string action, string? comment,
        IReadOnlyList<string>? users = null, string? position = null, string? toStep = null, string? adviceFor = null)
    {
        step.Decisions.Add(new ApprovalDecision
        {
            UserId = userId, Action = action, Comment = comment, At = context.Now,
            Users = users is { Count: > 0 } ? [.. users] : null, Position = position, ToStep = toStep, AdviceFor = adviceFor,
        });
        var what = action
                   + (position is null ? "" : " " + position)
                   + (users is { Count: > 0 } ? " → " + string.Join(", ", users) : "")
                   + (toStep is null ? "" : " → " + toStep)
                   + (adviceFor is null ? "" : $" (advice for {adviceFor})");
        context.Journal(ApprovalJournalEvents.TaskAction, $"{userId} {what}{(string.IsNullOrEmpty(comment) ? "" : ": " + comment)}");
    }

    // 去重: who approved the last approval step of the instance --------------------------------------

    private static HashSet<string> PreviousApprovers(ActivityExecutionContext context) =>
        [.. AssigneeRule.StringsOf(context.State.Properties?[InstancePropertyKey]?["lastApprovers"])];

    private static void RememberApprovers(ActivityExecutionContext context, IReadOnlyList<string> approvers) =>
        (context.State.Properties ??= new JsonObject())[InstancePropertyKey] = new JsonObject
        {
            ["activityId"] = context.Node.Id,
            ["lastApprovers"] = new JsonArray([.. approvers.Select(u => (JsonNode)u)]),
        };

    private static void ForgetApprovers(ActivityExecutionContext context) => context.State.Properties?.Remove(InstancePropertyKey);

    // Inputs -----------------------------------------------------------------------------------------

    private static string Choice(ActivityExecutionContext context, string input, string[] known, string fallback)
    {
        var value = context.EvaluateString(input);
        if (string.IsNullOrWhiteSpace(value)) return fallback;
        return known.FirstOrDefault(k => string.Equals(k, value.Trim(), StringComparison.OrdinalIgnoreCase))
               ?? throw context.Fault($"'{input}' must be one of {string.Join(", ", known)}, not '{value}'.");
    }

    private static string Iso(DateTimeOffset at) => at.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    private static int? WorkingDays(JsonNode? value) =>
        ValueConverter.AsDouble(value) is { } d && d >= 1 ? (int)Math.Round(d) : null;

    // Design-time checks -----------------------------------------------------------------------------

    public override IEnumerable<ValidationProblem> Validate(ActivityNode node, ValidationContext context) =>
        ApprovalDefinitionChecks.Check(node);
}
