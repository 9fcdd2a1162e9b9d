using System.Text.Json.Nodes;
using Workflows.Activities.People;
using Workflows.Engine.Activities;
using Workflows.Engine.Definitions;
using Workflows.Engine.Execution;
using Workflows.Engine.Validation;

namespace Workflows.Activities.Notifications;

/// <summary>
/// Workflows.Notify: sends a notification to the people its rules name ("to"): a "notify" message with
/// {"userIds", "subject", "body", "template", "model"} that the host delivers (in-app and by email).
/// "subject" and "body" may be Liquid; "template" names a template in definitions/templates, rendered by the host
/// with "model". Completes with Done; when the rules name nobody, nothing is sent.
/// </summary>
public sealed class Notify : ActivityBehavior
{
    public const string Type = "Workflows.Notify";

    public override string TypeName => Type;
    public override string Category => "Approvals";

    public override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var users = await AssigneeResolver.For(context).ResolveAsync(AssigneeResolver.Rules(context, "to"));
        if (users.Count == 0)
        {
            context.Journal("NotifyNobody", "'to' names nobody; no notification sent");
            await context.CompleteAsync();
            return;
        }
        var subject = context.EvaluateString("subject");
        context.Send(new OutgoingMessage(MessageKinds.Notify, context.Node.Id, new JsonObject
        {
            ["userIds"] = new JsonArray([.. users.Select(u => (JsonNode)u)]),
            ["subject"] = subject,
            ["body"] = context.EvaluateString("body"),
            ["template"] = context.EvaluateString("template") is { Length: > 0 } template ? template : null,
            ["model"] = context.Evaluate("model"),
        }));
        context.Journal(JournalEvents.Message, $"notify {string.Join(", ", users)}: {subject}");
        await context.CompleteAsync();
    }

    public override IEnumerable<ValidationProblem> Validate(ActivityNode node, ValidationContext context)
    {
        var problems = new List<ValidationProblem>();
        if (node.Raw["to"] is null)
            problems.Add(ValidationProblem.Warning(node.Id, "The notification has no 'to'; it will send nothing.",
                "通知未设置接收人（to），不会发送任何通知。"));
        Approvals.ApprovalDefinitionChecks.Rules(node, "to", problems);
        return problems;
    }
}
