using System.Text.Json.Nodes;
using Workflows.Engine.Execution;

namespace Workflows.Activities.People;

/// <summary>
/// Turns assignee rules into user ids with the organisation (<see cref="IAssigneeDirectory"/>): rules are applied
/// in order, duplicates keep their first place, and users who do not exist or are inactive are dropped.
/// </summary>
public sealed class AssigneeResolver(IAssigneeDirectory directory, WorkflowState state)
{
    private UserPlacement? _initiatorPlacement;
    private bool _initiatorPlaced;

    public IAssigneeDirectory Directory => directory;

    /// <summary>The directory registered in the run's services; a clear fault when the host registered none.</summary>
    public static AssigneeResolver For(ActivityExecutionContext context) =>
        new(context.Services?.GetService(typeof(IAssigneeDirectory)) as IAssigneeDirectory
            ?? throw context.Fault($"No {nameof(IAssigneeDirectory)} is registered with the engine's services; people cannot be resolved."),
            context.State);

    /// <summary>Rules read from an input value; a malformed rule faults the activity with the reason.</summary>
    public static IReadOnlyList<AssigneeRule> Rules(ActivityExecutionContext context, string input)
    {
        try { return AssigneeRule.ParseList(context.Evaluate(input)); }
        catch (FormatException ex) { throw context.Fault($"'{input}': {ex.Message}"); }
    }

    public async ValueTask<IReadOnlyList<string>> ResolveAsync(IEnumerable<AssigneeRule> rules, CancellationToken ct = default)
    {
        var candidates = new List<string>();
        foreach (var rule in rules)
            candidates.AddRange(await CandidatesAsync(rule, ct));
        return await ActiveDistinctAsync(candidates, ct);
    }

    /// <summary>The users, in order, without duplicates, without inactive or unknown users.</summary>
    public async ValueTask<IReadOnlyList<string>> ActiveDistinctAsync(IEnumerable<string> users, CancellationToken ct = default)
    {
        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var user in users)
            if (seen.Add(user) && await directory.IsActiveAsync(user, ct))
                result.Add(user);
        return result;
    }

    /// <summary>The principals (校长) of the school the user belongs to.</summary>
    public async ValueTask<IReadOnlyList<string>> PrincipalsOfAsync(string? userId, CancellationToken ct = default)
    {
        if (userId is null) return [];
        var placement = userId == state.InitiatorId ? await InitiatorPlacementAsync(ct) : await directory.PlacementOfAsync(userId, ct);
        return placement?.SchoolId is { } school ? await directory.UsersInRoleAsync(Roles.Principal, school, ct) : [];
    }

    private async ValueTask<IReadOnlyList<string>> CandidatesAsync(AssigneeRule rule, CancellationToken ct)
    {
        switch (rule.Type)
        {
            case AssigneeRule.TypeUsers:
                return rule.Users;
            case AssigneeRule.TypeInitiator:
                return state.InitiatorId is { } initiator ? [initiator] : [];
            case AssigneeRule.TypeInitiatorPrincipal:
                return await PrincipalsOfAsync(state.InitiatorId, ct);
            case AssigneeRule.TypeVariable:
                return AssigneeRule.StringsOf(Lookup(rule.Name!));
            case AssigneeRule.TypeInitiatorPicks:
                return AssigneeRule.StringsOf(state.Input["assignees"]?[rule.Key!]);
            case AssigneeRule.TypeRole:
                var users = new List<string>();
                foreach (var scope in await ScopesAsync(rule.Scope ?? RoleScopes.County, ct))
                    users.AddRange(await directory.UsersInRoleAsync(rule.Role!, scope, ct));
                return users;
            default:
                return [];
        }
    }

    /// <summary>The org unit ids a role scope stands for (none when, e.g., the initiator has no school).</summary>
    private async ValueTask<IReadOnlyList<string>> ScopesAsync(string scope, CancellationToken ct)
    {
        switch (scope)
        {
            case RoleScopes.InitiatorSchool:
                return One((await InitiatorPlacementAsync(ct))?.SchoolId);
            case RoleScopes.InitiatorFederation:
                return One((await InitiatorPlacementAsync(ct))?.FederationId);
            case RoleScopes.County:
                return One((await InitiatorPlacementAsync(ct))?.CountyId);
        }
        if (scope.StartsWith(RoleScopes.SchoolOfVariable, StringComparison.Ordinal))
            return await UnitsOfVariableAsync(scope[RoleScopes.SchoolOfVariable.Length..], p => p.SchoolId, ct);
        if (scope.StartsWith(RoleScopes.FederationOfVariable, StringComparison.Ordinal))
            return await UnitsOfVariableAsync(scope[RoleScopes.FederationOfVariable.Length..], p => p.FederationId, ct);
        return [scope]; // an org unit id
    }

    // The variable holds user ids (their unit is used) or the unit ids themselves.
    private async ValueTask<IReadOnlyList<string>> UnitsOfVariableAsync(string name, Func<UserPlacement, string?> unit, CancellationToken ct)
    {
        var units = new List<string>();
        foreach (var id in AssigneeRule.StringsOf(Lookup(name.Trim())))
        {
            var placement = await directory.PlacementOfAsync(id, ct);
            var found = placement is null ? id : unit(placement);
            if (found is not null && !units.Contains(found)) units.Add(found);
        }
        return units;
    }

    /// <summary>A workflow variable, else the workflow input of that name.</summary>
    private JsonNode? Lookup(string name) =>
        state.Variables.TryGetValue(name, out var v) && v is not null ? v : state.Input[name];

    private async ValueTask<UserPlacement?> InitiatorPlacementAsync(CancellationToken ct)
    {
        if (!_initiatorPlaced)
        {
            _initiatorPlacement = state.InitiatorId is { } id ? await directory.PlacementOfAsync(id, ct) : null;
            _initiatorPlaced = true;
        }
        return _initiatorPlacement;
    }

    private static IReadOnlyList<string> One(string? id) => id is null ? [] : [id];
}
