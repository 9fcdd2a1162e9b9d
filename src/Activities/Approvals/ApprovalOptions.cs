namespace Workflows.Activities.Approvals;

/// <summary>How the people of one approval step decide (input "mode").</summary>
public static class ApprovalModes
{
    /// <summary>依次审批: one task at a time, in the order of the assignees; any reject rejects.</summary>
    public const string Sequential = "Sequential";

    /// <summary>会签: everyone at once; everyone must approve, any reject rejects.</summary>
    public const string All = "All";

    /// <summary>或签: everyone at once; the first decision (approve or reject) decides.</summary>
    public const string Any = "Any";

    /// <summary>票签: everyone at once; approved when the share of approvals reaches "threshold".</summary>
    public const string Vote = "Vote";

    public static readonly string[] Known = [Sequential, All, Any, Vote];
}

/// <summary>What a step does when its rules name nobody (input "whenNobody").</summary>
public static class WhenNobody
{
    public const string AutoApprove = "AutoApprove";
    public const string Admin = "Admin";
    public const string Reject = "Reject";

    public static readonly string[] Known = [AutoApprove, Admin, Reject];
}

/// <summary>What a step does when the initiator is among its assignees (input "whenInitiator").</summary>
public static class WhenInitiator
{
    public const string Allow = "Allow";
    public const string Skip = "Skip";
    public const string Principal = "Principal";

    public static readonly string[] Known = [Allow, Skip, Principal];
}

/// <summary>What happens when a step's due date passes (input "timeoutAction").</summary>
public static class TimeoutActions
{
    public const string Remind = "Remind";
    public const string Approve = "Approve";
    public const string Reject = "Reject";
    public const string Escalate = "Escalate";

    public static readonly string[] Known = [Remind, Approve, Reject, Escalate];
}

/// <summary>What an assignee can do with an approval task (the "action" of the resume payload).</summary>
public static class ApprovalActions
{
    public const string Approve = "approve";
    public const string Reject = "reject";
    public const string Return = "return";
    public const string Transfer = "transfer";
    public const string Delegate = "delegate";
    public const string AddSigner = "addSigner";

    public static readonly string[] All = [Approve, Reject, Return, Transfer, Delegate, AddSigner];

    /// <summary>What a delegate (被委派人) can do: give advice, which goes back to the delegator.</summary>
    public static readonly string[] Advice = [Approve, Reject];

    public const string PositionBefore = "before";
    public const string PositionAfter = "after";

    /// <summary>The action's name as users read it.</summary>
    public static string Label(string? action) => action switch
    {
        Approve => "同意",
        Reject => "拒绝",
        Return => "退回",
        Transfer => "转交",
        Delegate => "委派",
        AddSigner => "加签",
        _ => action ?? "",
    };
}

/// <summary>Journal events an approval step writes, besides the engine's own.</summary>
public static class ApprovalJournalEvents
{
    /// <summary>A decision or hand-over: "&lt;user&gt; &lt;action&gt;[ → users]: comment".</summary>
    public const string TaskAction = "TaskAction";

    /// <summary>A submission that was refused; the task (bookmark) stays as it was.</summary>
    public const string TaskActionRefused = "TaskActionRefused";

    public const string TaskReminder = "TaskReminder";
    public const string TaskEscalated = "TaskEscalated";
    public const string ApprovalCompleted = "ApprovalCompleted";
}
