using Microsoft.EntityFrameworkCore;
using Workflows.Engine.Definitions;
using Workflows.Engine.Execution;

namespace Workflows.Host.Runtime;

public sealed partial class WorkflowRuntime
{
    /// <summary>
    /// Loads the instance, applies <paramref name="change"/> and commits in one transaction. A concurrency
    /// conflict (someone else committed first) reloads and applies the change to the new state.
    /// </summary>
    internal async Task<RunOutcome> ChangeAsync(string instanceId, Actor actor,
        Func<WorkflowDefinition, WorkflowState, ValueTask<RunResult>> change, CancellationToken ct, RunContext? context = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            var record = await db.Instances.SingleOrDefaultAsync(i => i.Id == instanceId, ct)
                ?? throw RuntimeException.NotFound($"Instance '{instanceId}' does not exist.");
            var state = WorkflowState.FromJson(record.StateJson);
            var definition = await definitions.GetAsync(state.DefinitionId, state.DefinitionVersion, ct)
                ?? throw RuntimeException.Conflict($"Definition '{state.DefinitionId}' v{state.DefinitionVersion} of this instance is missing.");
            var result = await change(definition, state);

            await using var tx = await db.Database.BeginTransactionAsync(ct);
            try
            {
                await writer.UpdateAsync(db, record, result, context ?? new RunContext(actor), ct);
                await tx.CommitAsync(ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < options.Value.MaxConcurrencyRetries)
            {
                await tx.RollbackAsync(CancellationToken.None);
                logger.LogDebug("Instance {Instance} changed under us; retrying ({Attempt})", instanceId, attempt + 1);
                continue;
            }
            catch (DbUpdateConcurrencyException)
            {
                throw RuntimeException.Conflict($"Instance {instanceId} is being changed by someone else; try again.");
            }
            writer.AfterCommit(result);
            return new RunOutcome(instanceId, result);
        }
    }
}
