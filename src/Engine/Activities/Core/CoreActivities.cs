namespace Workflows.Engine.Activities.Core;

public static class CoreActivities
{
    public static IEnumerable<ActivityBehavior> All() =>
    [
        new Flowchart(), new Start(), new End(), new Complete(), new Finish(), new WriteLine(), new SetVariable(),
        new SetOutput(), new Correlate(), new Fault(), new FlowDecision(), new FlowSwitch(), new FlowFork(),
        new FlowJoin(), new If(), new Switch(), new Sequence(), new Fork(), new FlowNode(), new ParallelForEach(),
        new ForEach(), new For(), new While(), new Break(), new Delay(), new Timer(), new StartAt(), new Cron(),
        new Event(),
    ];
}
