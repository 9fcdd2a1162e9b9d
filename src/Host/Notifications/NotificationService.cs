using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Workflows.Host.Configuration;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Notifications;

/// <summary>
/// A one-click link to put into a notification, made per recipient: <c>links.{Purpose}</c> in the model.
/// </summary>
/// <param name="Purpose">approve, reject, open or signin (<see cref="LinkPurpose"/>).</param>
/// <param name="TaskId">The task it acts on; defaults to the request's TaskId (not used for signin).</param>
/// <param name="Lifetime">How long it works; defaults to Workflows:TaskLinkLifetime (Workflows:SignInLinkLifetime for signin).</param>
public sealed record LinkRequest(string Purpose, string? TaskId = null, TimeSpan? Lifetime = null);

/// <summary>
/// One notification to several people.
/// </summary>
/// <param name="Template">Name of a template in definitions/templates (task-assigned, task-reminder, task-cc, task-result, notify, signin-link).</param>
/// <param name="UserIds">Recipients (user ids; duplicates are ignored).</param>
/// <param name="Model">Template variables; the service adds <c>user</c> (id, name, email), <c>links</c>, <c>base_url</c>,
/// <c>instance_id</c> and <c>task_id</c>.</param>
/// <param name="InstanceId">The workflow instance it is about, if any.</param>
/// <param name="TaskId">The task it is about, if any.</param>
/// <param name="Links">One-time links to make for each recipient (empty for none).</param>
public sealed record NotificationRequest(string Template, IReadOnlyList<string> UserIds, JsonObject Model, string? InstanceId,
    string? TaskId, IReadOnlyList<LinkRequest> Links);

/// <summary>
/// Turns a notification into rows of the caller's unit of work: per recipient an in-app <see cref="NotificationRecord"/>
/// and, when the person has an email address, an <see cref="OutboxMessage"/> that <see cref="OutboxPump"/> delivers
/// later. Nothing is saved here: the caller's SaveChanges commits the notification together with the state change that
/// caused it, so a rolled-back change sends nothing and a committed one is never left unannounced.
/// </summary>
public sealed class NotificationService(NotificationTemplates templates, ActionLinkService links, TimeProvider time,
    IOptions<WorkflowsOptions> options, ILogger<NotificationService> logger)
{
    /// <summary>Domain of the Message-Ids of notification emails.</summary>
    public const string MessageIdDomain = "workflows.local";

    /// <summary>Adds the rows of <paramref name="request"/> to <paramref name="db"/>; returns the outbox rows added.</summary>
    /// <exception cref="InvalidOperationException">The template is missing or does not compile.</exception>
    public IReadOnlyList<OutboxMessage> Enqueue(WorkflowsDbContext db, NotificationRequest request)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(request);
        templates.Check(request.Template); // a bad template fails before any row is added
        var ids = request.UserIds.Where(id => !string.IsNullOrEmpty(id)).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0) return [];
        var users = db.Users.Local.Where(u => ids.Contains(u.Id)).ToDictionary(u => u.Id, StringComparer.Ordinal);
        var missing = ids.Where(id => !users.ContainsKey(id)).ToList();
        if (missing.Count > 0)
            foreach (var u in db.Users.AsNoTracking().Where(u => missing.Contains(u.Id)).ToList()) users[u.Id] = u;

        var now = time.GetUtcNow();
        var baseUrl = options.Value.PublicBaseUrl.TrimEnd('/');
        var outbox = new List<OutboxMessage>();
        foreach (var userId in ids)
        {
            users.TryGetValue(userId, out var user);
            if (user is null) logger.LogWarning("Notification {Template}: user {User} is not in the roster; only an inbox entry is written", request.Template, userId);
            var model = (JsonObject)request.Model.DeepClone();
            model["user"] = new JsonObject { ["id"] = userId, ["name"] = user?.Name ?? userId, ["email"] = user?.Email };
            model["base_url"] = baseUrl;
            model["instance_id"] = request.InstanceId;
            model["task_id"] = request.TaskId;
            var linkUrls = model["links"] as JsonObject ?? new JsonObject();
            foreach (var l in request.Links ?? [])
            {
                var taskId = l.Purpose == LinkPurpose.SignIn ? null : l.TaskId ?? request.TaskId;
                linkUrls[l.Purpose] = links.Create(db, userId, l.Purpose, taskId, l.Lifetime).Url;
            }
            model["links"] = linkUrls;

            var message = templates.Render(request.Template, model);
            db.Notifications.Add(new NotificationRecord
            {
                Id = Guid.NewGuid(), UserId = userId, Title = message.Subject, Body = message.Text,
                Link = InboxLink(request, model), InstanceId = request.InstanceId, TaskId = request.TaskId, CreatedAt = now,
            });
            // No email for people without an address, or who left (a disabled account cannot sign in to act on it).
            if (string.IsNullOrWhiteSpace(user?.Email) || user.Status != People.UserStatuses.Active) continue;
            var id = Guid.NewGuid();
            var row = new OutboxMessage
            {
                Id = id, InstanceId = request.InstanceId, Kind = OutboxMessage.KindEmail, MessageId = $"<{id:N}@{MessageIdDomain}>",
                To = user.Email, Subject = message.Subject, BodyText = message.Text, BodyHtml = message.Html,
                Status = OutboxStatus.Pending, CreatedAt = now, NextAttemptAt = null, // null: never tried, due at once
            };
            db.Outbox.Add(row);
            outbox.Add(row);
        }
        return outbox;
    }

    /// <summary>
    /// The inbox entry's link: a stable page of the app, never a one-time token (the reader is signed in already):
    /// the model's <c>link</c> if given, else /tasks/{TaskId}, else /instances/{InstanceId}.
    /// </summary>
    private static string? InboxLink(NotificationRequest request, JsonObject model) =>
        model["link"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? model["link"]!.GetValue<string>()
        : request.TaskId is { } t ? $"/tasks/{Uri.EscapeDataString(t)}"
        : request.InstanceId is { } i ? $"/instances/{Uri.EscapeDataString(i)}"
        : null;
}
