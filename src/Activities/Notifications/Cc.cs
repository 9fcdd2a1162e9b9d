using System.Text.Json.Nodes;
using Workflows.Activities.People;
using Workflows.Engine.Activities;
using Workflows.Engine.Definitions;
using Workflows.Engine.Execution;
using Workflows.Engine.Validation;

namespace Workflows.Activities.Notifications;

/// <summary>
/// Workflows.Cc (抄送人 as a step of its own): copies the people its rules name ("to") on the request with a "cc"
/// message {"userIds", "stepName"}; the host records a CC entry (抄送我的) for each. Never waits; completes with Done.
/// </summary>
public sealed class Cc : ActivityBehavior
{
    public const string Type = "Workflows.Cc";

    public override string TypeName => Type;
    public override string Category => "Approvals";

    public override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var users = await AssigneeResolver.For(context).ResolveAsync(AssigneeResolver.Rules(context, "to"));
        var stepName = context.EvaluateString("stepName") is { Length: > 0 } name ? name : context.Node.DisplayName;
        if (users.Count > 0)
        {
            context.Send(new OutgoingMessage(MessageKinds.Cc, context.Node.Id, new JsonObject
            {
                ["userIds"] = new JsonArray([.. users.Select(u => (JsonNode)u)]),
                ["stepName"] = stepName,
            }));
            context.Journal(JournalEvents.Message, $"cc {string.Join(", ", users)}: {stepName}");
        }
        await context.CompleteAsync();
    }

    public override IEnumerable<ValidationProblem> Validate(ActivityNode node, ValidationContext context)
    {
        var problems = new List<ValidationProblem>();
        Approvals.ApprovalDefinitionChecks.Rules(node, "to", problems);
        return problems;
    }
}
