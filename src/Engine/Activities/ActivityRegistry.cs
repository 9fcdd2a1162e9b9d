namespace Workflows.Engine.Activities;

/// <summary>The activity types an engine knows, by persisted type name.</summary>
public sealed class ActivityRegistry
{
    private readonly Dictionary<string, ActivityBehavior> _behaviors = new(StringComparer.Ordinal);

    public ActivityRegistry Add(ActivityBehavior behavior)
    {
        _behaviors[behavior.TypeName] = behavior;
        return this;
    }

    public ActivityRegistry AddRange(IEnumerable<ActivityBehavior> behaviors)
    {
        foreach (var b in behaviors) Add(b);
        return this;
    }

    public ActivityBehavior? Find(string typeName) => _behaviors.GetValueOrDefault(typeName);

    public bool Contains(string typeName) => _behaviors.ContainsKey(typeName);

    public IEnumerable<ActivityBehavior> All => _behaviors.Values.OrderBy(b => b.TypeName, StringComparer.Ordinal);

    /// <summary>A registry with every core (Elsa) activity.</summary>
    public static ActivityRegistry CreateDefault() => new ActivityRegistry().AddRange(Core.CoreActivities.All());
}
