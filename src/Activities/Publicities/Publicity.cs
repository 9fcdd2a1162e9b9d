using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Workflows.Activities.Approvals;
using Workflows.Activities.Calendar;
using Workflows.Activities.People;
using Workflows.Engine.Activities;
using Workflows.Engine.Activities.Core;
using Workflows.Engine.Bookmarks;
using Workflows.Engine.Definitions;
using Workflows.Engine.Execution;
using Workflows.Engine.Expressions;
using Workflows.Engine.Validation;

namespace Workflows.Activities.Publicities;

/// <summary>
/// Workflows.Publicity (公示): publishes a list of nominees for N working days and takes named objections (异议).
/// Each objection becomes an investigation task (异议核查) for the bureau's personnel office, as an approval-compatible
/// task bookmark: approve = uphold (the nominee is withdrawn), reject = dismiss. The objector is told the result.
/// The step completes (Done) at the end of the window when no objection is open, otherwise when the last one is
/// decided, with the outputs "approved" (nominees minus withdrawn) and "withdrawn". The contract is in docs/processes.md.
/// </summary>
public sealed class Publicity : ActivityBehavior
{
    public const string Type = "Workflows.Publicity";

    /// <summary>Kind of the bookmark objections resume; its stimulus is the notice id.</summary>
    public const string ObjectionKind = "Workflows.Publicity.Objection";

    /// <summary>Step name of the investigation tasks.</summary>
    public const string InvestigationStep = "异议核查";

    /// <summary>"purpose" of the timer bookmark at the end of the window.</summary>
    public const string PurposeWindowEnd = "windowEnd";

    /// <summary>Key of the notices in <see cref="WorkflowState.Properties"/> (see <see cref="PublicityNotices"/>).</summary>
    public const string InstancePropertyKey = Type;

    public const int DefaultWorkingDays = 5;
    public const int DefaultInvestigationDueWorkingDays = 5;

    /// <summary>Who investigates objections unless "investigators" says otherwise: the county's personnel office.</summary>
    public static readonly JsonArray DefaultInvestigators =
        [new JsonObject { ["type"] = AssigneeRule.TypeRole, ["role"] = Roles.BureauPersonnel, ["scope"] = RoleScopes.County }];

    private static readonly JsonObject InvestigationForm = new()
    {
        ["fields"] = new JsonArray
        {
            new JsonObject { ["name"] = "finding", ["label"] = "核查情况", ["type"] = ApprovalForm.TextArea, ["required"] = true },
        },
    };

    public override string TypeName => Type;
    public override string Category => "Approvals";
    public override bool Waits => true;

    // Publish ----------------------------------------------------------------------------------------

    public override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        JsonArray nominees;
        try { nominees = PublicityNominees.Parse(context.Evaluate("nominees")); }
        catch (FormatException ex) { throw context.Fault(ex.Message); }

        var days = ValueConverter.AsDouble(context.Evaluate("workingDays")) is { } d ? (int)Math.Round(d) : DefaultWorkingDays;
        if (days is < 1 or > 60) throw context.Fault($"'workingDays' must be from 1 to 60 working days, not {days}.");
        var code = context.EvaluateString("accessCode")?.Trim();
        if (string.IsNullOrEmpty(code)) code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        else if (code.Length is < 4 or > 64) throw context.Fault("'accessCode' must be 4 to 64 characters.");

        var investigators = context.HasInput("investigators") ? context.Evaluate("investigators") : null;
        try { AssigneeRule.ParseList(investigators); }
        catch (FormatException ex) { throw context.Fault($"'investigators': {ex.Message}"); }
        var due = ValueConverter.AsDouble(context.Evaluate("investigationDueWorkingDays")) is { } dd ? (int)Math.Round(dd) : DefaultInvestigationDueWorkingDays;

        var calendar = ApprovalSchedule.CalendarOf(context);
        var (start, end) = PublicityWindow.Compute(calendar, context.Now, days);
        var state = new PublicityState
        {
            NoticeId = PublicityNotices.NewId(context.InstanceId, context.Record.Id),
            Title = context.EvaluateString("title") is { Length: > 0 } title ? title.Trim() : context.Node.DisplayName,
            Nominees = nominees,
            WorkingDays = days,
            WindowStart = start,
            WindowEnd = end,
            AccessCode = code,
            Investigators = investigators,
            InvestigationDueWorkingDays = due > 0 ? due : null,
        };

        context.Journal(PublicityJournalEvents.Published,
            $"{state.Title}: {nominees.Count} 人，{days} 个工作日，至 {PublicityWindow.LastDay(end):yyyy-MM-dd} 24:00");
        if (nominees.Count == 0)
        {
            state.WindowClosed = true;
            await FinishAsync(context, state);
            return;
        }
        context.CreateBookmark(stimulus: Type, dueAt: end,
            payload: new JsonObject { ["purpose"] = PurposeWindowEnd, ["noticeId"] = state.NoticeId }, kind: TimerActivity.TimerKind);
        context.CreateBookmark(stimulus: state.NoticeId, kind: ObjectionKind, payload: new JsonObject
        {
            ["noticeId"] = state.NoticeId,
            ["title"] = state.Title,
            ["nominees"] = new JsonArray([.. state.NomineeIds.Select(n => (JsonNode)n)]),
            ["windowStart"] = PublicityState.Iso(start),
            ["windowEnd"] = PublicityState.Iso(end),
        });
        Save(context, state);
    }

    // Resume -----------------------------------------------------------------------------------------

    public override async ValueTask OnResumeAsync(ActivityExecutionContext context, Bookmark bookmark, JsonNode? payload)
    {
        var state = PublicityState.FromJson(context.Record.Properties) ?? throw context.Fault("The publicity step has lost its state.");
        switch (bookmark.Kind)
        {
            case TimerActivity.TimerKind:
                state.WindowClosed = true;
                foreach (var open in context.Bookmarks.Where(b => b.Kind == ObjectionKind).ToList()) context.RemoveBookmark(open);
                context.Journal(PublicityJournalEvents.WindowClosed, state.HasOpenObjections
                    ? $"{state.Title}: 公示期满，尚有 {state.Objections.Count(o => o.Status == PublicityObjectionStatus.Open)} 件异议在核查"
                    : $"{state.Title}: 公示期满");
                break;
            case ObjectionKind:
                await FileObjectionAsync(context, state, bookmark, payload);
                break;
            case Approval.BookmarkKind:
                await DecideAsync(context, state, bookmark, payload);
                break;
            default:
                throw context.Fault($"The publicity step does not wait on bookmarks of kind '{bookmark.Kind}'.");
        }

        if (state.WindowClosed && !state.HasOpenObjections) await FinishAsync(context, state);
        else Save(context, state);
    }

    private static async ValueTask FileObjectionAsync(ActivityExecutionContext context, PublicityState state, Bookmark bookmark, JsonNode? payload)
    {
        // The bookmark stays for the next objection, with the same id, for as long as the window is open.
        context.KeepBookmark(bookmark);
        var errors = PublicityObjection.Validate(payload, state.NomineeIds, state.Withdrawn);
        var objection = PublicityObjection.Parse(payload);
        if (errors.Count > 0)
        {
            context.Journal(PublicityJournalEvents.ObjectionRefused, string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value}")));
            return;
        }

        var record = new PublicityObjectionRecord
        {
            Id = state.NewId("o"),
            NomineeId = objection.NomineeId!,
            ObjectorName = objection.ObjectorName!,
            ObjectorUserId = objection.ObjectorUserId,
            ObjectorPhone = objection.ObjectorPhone,
            ObjectorEmail = objection.ObjectorEmail,
            Facts = objection.Facts!,
            Attachments = objection.Attachments?.DeepClone().AsArray(),
            FiledAt = context.Now,
        };
        state.Objections.Add(record);
        context.Journal(PublicityJournalEvents.ObjectionFiled,
            $"{record.Id} {record.ObjectorName}{(record.ObjectorUserId is null ? "" : $" ({record.ObjectorUserId})")} → {NomineeName(state, record.NomineeId)}: {Shorten(record.Facts, 200)}");

        var resolver = AssigneeResolver.For(context);
        var rules = state.Investigators is null ? AssigneeRule.ParseList(DefaultInvestigators) : AssigneeRule.ParseList(state.Investigators);
        var investigators = await resolver.ResolveAsync(rules);
        if (investigators.Count == 0) investigators = await resolver.ActiveDistinctAsync(await resolver.Directory.AdministratorsAsync());
        if (investigators.Count == 0) throw context.Fault("Nobody can investigate the objection: no personnel office and no administrator is active.");

        var dueAt = state.InvestigationDueWorkingDays is { } days
            ? ApprovalSchedule.Add(ApprovalSchedule.CalendarOf(context), context.Now, days)
            : (DateTimeOffset?)null;
        foreach (var user in investigators)
        {
            var task = new PublicityInvestigationTask { Id = state.NewId("t"), UserId = user };
            var created = context.CreateBookmark(stimulus: user, kind: Approval.BookmarkKind, payload: new JsonObject
            {
                ["taskKind"] = Approval.TaskKind,
                ["taskId"] = task.Id,
                ["stepName"] = InvestigationStep,
                ["assigneeId"] = user,
                ["dueAt"] = dueAt is { } at ? PublicityState.Iso(at) : null,
                ["form"] = InvestigationForm.DeepClone(),
                ["actions"] = new JsonArray(ApprovalActions.Approve, ApprovalActions.Reject),
                ["actionLabels"] = new JsonObject { ["approve"] = "异议成立（撤销该人选）", ["reject"] = "异议不成立" },
                ["delegatedFrom"] = null,
                ["mode"] = ApprovalModes.Any,
                ["advice"] = false,
                ["summary"] = $"{state.Title}：{record.ObjectorName} 对「{NomineeName(state, record.NomineeId)}」提出异议",
                ["publicity"] = new JsonObject
                {
                    ["noticeId"] = state.NoticeId,
                    ["objectionId"] = record.Id,
                    ["nomineeId"] = record.NomineeId,
                    ["nomineeName"] = NomineeName(state, record.NomineeId),
                    ["objectorName"] = record.ObjectorName,
                    ["facts"] = record.Facts,
                    ["attachments"] = record.Attachments?.DeepClone(),
                },
            });
            task.BookmarkId = created.Id;
            record.Tasks.Add(task);
        }
    }

    private static ValueTask DecideAsync(ActivityExecutionContext context, PublicityState state, Bookmark bookmark, JsonNode? payload)
    {
        var (objection, task) = state.FindTask(bookmark.Id) ?? throw context.Fault($"No investigation task waits on bookmark {bookmark.Id}.");
        var request = ApprovalRequest.Parse(payload);
        var errors = ApprovalTaskCheck.Check(bookmark, payload);
        if (errors.Count > 0 || objection.Status != PublicityObjectionStatus.Open)
        {
            context.KeepBookmark(bookmark);
            context.Journal(ApprovalJournalEvents.TaskActionRefused, $"{request.UserId ?? "?"} {request.Action ?? "?"}: " +
                (errors.Count > 0 ? string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value}")) : "该异议已处理"));
            return ValueTask.CompletedTask;
        }

        var upheld = request.Action == ApprovalActions.Approve;
        objection.Status = upheld ? PublicityObjectionStatus.Upheld : PublicityObjectionStatus.Dismissed;
        objection.DecidedBy = request.UserId;
        objection.DecidedAt = context.Now;
        objection.Comment = request.Comment;
        objection.Finding = ValueConverter.AsString(request.Fields?["finding"]);
        task.BookmarkId = null;
        foreach (var other in objection.Tasks.Where(t => t.BookmarkId is not null).ToList())
        {
            if (context.Bookmarks.FirstOrDefault(b => b.Id == other.BookmarkId) is { } b) context.RemoveBookmark(b);
            other.BookmarkId = null;
        }
        context.Journal(ApprovalJournalEvents.TaskAction,
            $"{request.UserId} {request.Action}{(string.IsNullOrEmpty(request.Comment) ? "" : ": " + request.Comment)}");

        var nominee = NomineeName(state, objection.NomineeId);
        if (upheld) context.Journal(PublicityJournalEvents.NomineeWithdrawn, $"{objection.Id}: 异议成立，撤销「{nominee}」");
        else context.Journal(PublicityJournalEvents.ObjectionDismissed, $"{objection.Id}: 异议不成立，「{nominee}」继续公示");
        TellObjector(context, state, objection, nominee, upheld);
        return ValueTask.CompletedTask;
    }

    /// <summary>The objector learns the result: a notification when they are a user, else an email when they left one.</summary>
    private static void TellObjector(ActivityExecutionContext context, PublicityState state, PublicityObjectionRecord objection, string nominee, bool upheld)
    {
        var subject = $"异议处理结果：{state.Title}";
        var body = $"您于 {TimeZoneInfo.ConvertTime(objection.FiledAt, ChinaStandardTime.Zone):yyyy-MM-dd HH:mm} 对「{nominee}」提出的异议，经核查"
                   + (upheld ? "情况属实，异议成立，该人选已撤销。" : "异议不成立，该人选继续按程序办理。")
                   + (string.IsNullOrWhiteSpace(objection.Finding) ? "" : $"\n核查情况：{objection.Finding}")
                   + "\n感谢您对公示工作的监督。";
        if (objection.ObjectorUserId is { } userId)
        {
            context.Send(new OutgoingMessage(MessageKinds.Notify, context.Node.Id, new JsonObject
            {
                ["userIds"] = new JsonArray(userId), ["subject"] = subject, ["body"] = body, ["template"] = null, ["model"] = null,
            }));
            context.Journal(JournalEvents.Message, $"notify {userId}: {subject}");
        }
        else if (objection.ObjectorEmail is { } email)
        {
            context.Send(new OutgoingMessage(MessageKinds.Email, context.Node.Id, new JsonObject
            {
                ["to"] = email, ["subject"] = subject, ["text"] = $"{objection.ObjectorName}，您好：\n\n{body}",
            }));
            context.Journal(JournalEvents.Message, $"email {email}: {subject}");
        }
        else
        {
            context.Journal(PublicityJournalEvents.ObjectorNotNotified, $"{objection.Id}: 异议人只留了电话 {objection.ObjectorPhone}，请电话反馈");
        }
    }

    // Completion -------------------------------------------------------------------------------------

    private static async ValueTask FinishAsync(ActivityExecutionContext context, PublicityState state)
    {
        Save(context, state);
        var withdrawn = state.Withdrawn;
        context.Journal(PublicityJournalEvents.Closed, withdrawn.Count == 0
            ? $"{state.Title}: 公示结束，无撤销"
            : $"{state.Title}: 公示结束，撤销 {string.Join("、", withdrawn.Select(w => NomineeName(state, w)))}");
        await context.CompleteAsync();
    }

    private static void Save(ActivityExecutionContext context, PublicityState state)
    {
        context.Record.Properties = state.ToJson();
        var withdrawn = state.Withdrawn.ToHashSet(StringComparer.Ordinal);
        var notice = state.Notice();
        PublicityNotices.Save(context.State, notice);
        context.SetOutput("notice", notice);
        context.SetOutput("objections", state.ObjectionsJson());
        context.SetOutput("withdrawn", new JsonArray([.. state.Nominees.Where(n => withdrawn.Contains(PublicityNominees.IdOf(n)!)).Select(n => n!.DeepClone())]));
        context.SetOutput("approved", new JsonArray([.. state.Nominees.Where(n => !withdrawn.Contains(PublicityNominees.IdOf(n)!)).Select(n => n!.DeepClone())]));
        if (context.Bookmarks.Any()) context.Record.Status = ActivityStatus.Suspended;
    }

    private static string NomineeName(PublicityState state, string nomineeId) =>
        state.Nominees.OfType<JsonObject>().FirstOrDefault(n => PublicityNominees.IdOf(n) == nomineeId)?["name"]?.ToString() ?? nomineeId;

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    // Design-time checks -----------------------------------------------------------------------------

    public override IEnumerable<ValidationProblem> Validate(ActivityNode node, ValidationContext context)
    {
        if (node.Raw["nominees"] is null)
            yield return ValidationProblem.Warning(node.Id, "The publicity step has no 'nominees'; it would publish an empty list.",
                "公示环节未设置公示名单（nominees），将公示一份空名单。");
        if (node.Raw["workingDays"]?["expression"] is JsonObject e && e["type"]?.ToString() is "Literal" or null
            && ValueConverter.AsDouble(e["value"]) is { } days && days is < 1 or > 60)
            yield return ValidationProblem.Error(node.Id, $"'workingDays' must be from 1 to 60, not {days}.",
                $"公示期（workingDays）须为 1–60 个工作日，现在是 {days}。");
        var problems = new List<ValidationProblem>();
        ApprovalDefinitionChecks.Rules(node, "investigators", problems);
        foreach (var p in problems) yield return p;
    }
}

/// <summary>Journal events a publicity step writes, besides <see cref="ApprovalJournalEvents.TaskAction"/>.</summary>
public static class PublicityJournalEvents
{
    public const string Published = "PublicityPublished";
    public const string ObjectionFiled = "ObjectionFiled";
    public const string ObjectionRefused = "ObjectionRefused";
    public const string NomineeWithdrawn = "NomineeWithdrawn";
    public const string ObjectionDismissed = "ObjectionDismissed";
    public const string ObjectorNotNotified = "ObjectorNotNotified";
    public const string WindowClosed = "PublicityWindowClosed";
    public const string Closed = "PublicityClosed";
}
