using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Workflows.Engine.Bookmarks;
using Workflows.Engine.Execution;
using Workflows.Host.Configuration;
using Workflows.Host.Definitions;
using Workflows.Persistence;

namespace Workflows.Host.Runtime;

/// <summary>
/// Starts and drives instances. Each call is one database transaction guarded by the instance's
/// concurrency token: of two callers that change the same instance only one commits; the other
/// reloads and tries again (and then usually finds its bookmark gone → 409).
/// </summary>
public sealed partial class WorkflowRuntime(
    IDbContextFactory<WorkflowsDbContext> contexts,
    DefinitionStore definitions,
    WorkflowEngine engine,
    InstanceWriter writer,
    IOptions<WorkflowsOptions> options,
    ILogger<WorkflowRuntime> logger)
{
    /// <param name="startKey">
    /// Stored on the instance under a unique index (see <see cref="Persistence.Entities.InstanceRecord.StartKey"/>): a second start
    /// with the same key fails with a <see cref="DbUpdateException"/> and creates nothing.
    /// </param>
    public async Task<RunOutcome> StartAsync(string definitionId, int? version, JsonObject? input, string? correlationId, Actor actor, CancellationToken ct = default,
        string? startKey = null)
    {
        if (correlationId?.Length > DefinitionStore.MaxName) // the column's size
            throw RuntimeException.Invalid("correlationId", $"业务编号（correlationId）最多 {DefinitionStore.MaxName} 个字符 / correlationId must be at most {DefinitionStore.MaxName} characters.");
        var definition = await definitions.GetAsync(definitionId, version, ct)
            ?? throw RuntimeException.NotFound(version is null
                ? $"没有已发布的流程“{definitionId}” / No published definition '{definitionId}'."
                : $"流程“{definitionId}”没有第 {version} 版 / Definition '{definitionId}' has no version {version}.");
        var result = await engine.StartAsync(definition, new StartOptions { Input = input, CorrelationId = correlationId, InitiatorId = actor.UserId });
        await using var db = await contexts.CreateDbContextAsync(ct);
        writer.Add(db, result, new RunContext(actor));
        if (startKey is not null)
            db.ChangeTracker.Entries<Persistence.Entities.InstanceRecord>().Single(e => e.Entity.Id == result.State.InstanceId).Entity.StartKey = startKey;
        await db.SaveChangesAsync(ct);
        writer.AfterCommit(result);
        return new RunOutcome(result.State.InstanceId, result);
    }

    public Task<RunOutcome> ResumeAsync(string instanceId, string bookmarkId, JsonNode? payload, Actor actor, CancellationToken ct = default,
        TaskActionInfo? taskAction = null) =>
        ChangeAsync(instanceId, actor, async (definition, state) =>
        {
            if (state.Bookmarks.All(b => b.Id != bookmarkId))
                throw RuntimeException.Conflict($"该等待点已被处理或已取消 / Bookmark '{bookmarkId}' is not waiting on instance {instanceId}: it was already resumed or cancelled.");
            return await engine.ResumeAsync(definition, state, bookmarkId, payload);
        }, ct, new RunContext(actor, TaskAction: taskAction));

    public Task<RunOutcome> CancelAsync(string instanceId, string? reason, Actor actor, CancellationToken ct = default) =>
        ChangeAsync(instanceId, actor, (definition, state) =>
        {
            if (state.Status == WorkflowStatus.Finished)
                throw RuntimeException.Conflict($"流程实例已结束（{ZhStatus(state.SubStatus)}） / Instance {instanceId} is already {state.SubStatus}.");
            return ValueTask.FromResult(engine.Cancel(definition, state, reason));
        }, ct);

    public Task<RunOutcome> RetryAsync(string instanceId, Actor actor, CancellationToken ct = default) =>
        ChangeAsync(instanceId, actor, async (definition, state) =>
        {
            if (state.SubStatus != WorkflowSubStatus.Faulted)
                throw RuntimeException.Conflict($"流程实例当前为“{ZhStatus(state.SubStatus)}”，只有出错的实例可以重试 / Instance {instanceId} is {state.SubStatus}; only a faulted instance can be retried.");
            return await engine.RetryAsync(definition, state);
        }, ct);

    public Task<RunOutcome> MoveAsync(string instanceId, string from, string to, Actor actor, CancellationToken ct = default) =>
        ChangeAsync(instanceId, actor, async (definition, state) =>
        {
            if (state.Activities.All(a => a.ActivityId != from))
                throw RuntimeException.Invalid("from", $"节点“{from}”上没有正在进行的步骤 / No token is at activity '{from}'.");
            if (definition.Find(to) is null)
                throw RuntimeException.Invalid("to", $"流程“{definition.DefinitionId}”第 {definition.Version} 版中没有节点“{to}” / Activity '{to}' is not in version {definition.Version} of '{definition.DefinitionId}'.");
            try { return await engine.MoveTokenAsync(definition, state, from, to); }
            catch (ArgumentException ex)
            {
                throw RuntimeException.Invalid(ex.ParamName ?? "to",
                    $"无法把步骤从节点“{from}”移到“{to}” / {ex.Message.Split(" (Parameter")[0]}");
            }
        }, ct);

    private static string ZhStatus(WorkflowSubStatus status) => status switch
    {
        WorkflowSubStatus.Finished => "完成",
        WorkflowSubStatus.Cancelled => "取消",
        WorkflowSubStatus.Faulted => "出错",
        WorkflowSubStatus.Suspended => "等待中",
        WorkflowSubStatus.Executing => "执行中",
        _ => status.ToString(),
    };

    /// <summary>Resumes every Elsa.Event bookmark waiting for <paramref name="name"/> (optionally of one correlation id).</summary>
    public async Task<IReadOnlyList<RunOutcome>> RaiseEventAsync(string name, string? correlationId, JsonNode? payload, Actor actor, CancellationToken ct = default)
    {
        List<(string InstanceId, string BookmarkId)> waiting;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            var query = db.Bookmarks.AsNoTracking().Where(b => b.Kind == "Elsa.Event" && b.Stimulus == name);
            if (correlationId is not null)
                query = query.Where(b => db.Instances.Any(i => i.Id == b.InstanceId && i.CorrelationId == correlationId));
            waiting = (await query.OrderBy(b => b.CreatedAt).Select(b => new { b.InstanceId, b.Id }).ToListAsync(ct))
                .Select(b => (b.InstanceId, b.Id)).ToList();
        }
        var outcomes = new List<RunOutcome>();
        foreach (var (instanceId, bookmarkId) in waiting)
        {
            try { outcomes.Add(await ResumeAsync(instanceId, bookmarkId, payload, actor, ct)); }
            catch (RuntimeException ex) when (ex.Status == 409)
            {
                logger.LogDebug("Event {Event}: bookmark {Bookmark} was taken by another caller", name, bookmarkId);
            }
        }
        return outcomes;
    }
}
