using Workflows.Engine.Execution;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Activities;

/// <summary>End, Complete, Finish and Fault: the activities that stop a flowchart or the instance.</summary>
public sealed class TerminalTests
{
    [Fact]
    public async Task End_finishes_the_flowchart_while_another_branch_still_waits()
    {
        var run = await Runner.StartAsync(new Flow()
            .Add(A.Start(), A.FlowFork("fork", "a", "b"), A.Event("wait", "never"), A.WriteLine("wb", "b"), A.End())
            .Connect("start", "fork").Connect("fork", "wait", "a").Connect("fork", "wb", "b").Connect("wb", "end"));

        Assert.Equal(["b"], run.Lines);
        Assert.Equal(WorkflowStatus.Finished, run.Status);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
        Assert.Empty(run.State.Bookmarks);
        Assert.Empty(run.Last.CreatedBookmarks); // created and dropped in the same run: the host never sees it
    }

    [Fact]
    public async Task End_in_a_nested_flowchart_ends_only_that_flowchart()
    {
        var inner = new Flow("inner")
            .Add(A.Start("s2"), A.FlowFork("fork", "a", "b"), A.Event("wait", "never"), A.WriteLine("w1", "inner"), A.End("end2"))
            .Connect("s2", "fork").Connect("fork", "wait", "a").Connect("fork", "w1", "b").Connect("w1", "end2");
        var run = await Runner.StartAsync(new Flow()
            .Add(A.Start(), inner.AsActivity(), A.WriteLine("after", "after inner"))
            .Chain("start", "inner", "after"));

        Assert.Equal(["inner", "after inner"], run.Lines);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }

    [Fact]
    public async Task Finish_in_a_nested_flowchart_finishes_the_whole_instance()
    {
        var inner = new Flow("inner").Add(A.WriteLine("w1", "inner"), A.Finish()).Chain("w1", "finish");
        var run = await Runner.StartAsync(new Flow()
            .Add(A.Start(), A.FlowFork("fork", "a", "b"), A.Event("wait", "never"), inner.AsActivity(), A.WriteLine("after", "never written"))
            .Connect("start", "fork").Connect("fork", "wait", "a").Connect("fork", "inner", "b").Connect("inner", "after"));

        Assert.Equal(["inner"], run.Lines);
        Assert.Equal(WorkflowStatus.Finished, run.Status);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
        Assert.Empty(run.State.Bookmarks);
        Assert.Empty(run.State.Queue);
    }

    [Fact]
    public async Task Complete_ends_its_flowchart_through_the_given_outcome()
    {
        var inner = new Flow("inner")
            .Add(A.Start("s2"), A.FlowFork("fork", "a", "b"), A.Event("wait", "never"), A.Complete("done", "Approved"))
            .Connect("s2", "fork").Connect("fork", "wait", "a").Connect("fork", "done", "b");
        var run = await Runner.StartAsync(new Flow()
            .Add(A.Start(), inner.AsActivity(), A.WriteLine("ok", "approved"), A.WriteLine("no", "rejected"), A.WriteLine("dn", "done"))
            .Connect("start", "inner").Connect("inner", "ok", "Approved").Connect("inner", "no", "Rejected").Connect("inner", "dn"));

        Assert.Equal(["approved"], run.Lines);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
        Assert.Empty(run.State.Bookmarks);
    }

    [Fact]
    public async Task Fault_faults_the_instance_and_records_an_incident()
    {
        var run = await Runner.StartAsync(new Flow()
            .Add(A.Start(), A.Node("fault", "Elsa.Fault", ("message", In.Literal("Out of stock")), ("code", In.Literal("E42"))),
                A.WriteLine("after", "never written"))
            .Chain("start", "fault", "after"));

        Assert.Empty(run.Lines);
        Assert.Equal(WorkflowStatus.Finished, run.Status);
        Assert.Equal(WorkflowSubStatus.Faulted, run.SubStatus);
        var incident = Assert.Single(run.State.Incidents);
        Assert.Equal("fault", incident.ActivityId);
        Assert.Equal("Elsa.Fault", incident.ActivityType);
        Assert.Equal("Out of stock (code E42)", incident.Message);
        Assert.Equal(Runner.Epoch, incident.At);
        Assert.Contains(run.State.Activities, a => a is { ActivityId: "fault", Status: ActivityStatus.Faulted });
        Assert.Contains(run.Last.Journal, j => j.Event == JournalEvents.WorkflowFaulted && j.ActivityId == "fault");
    }
}
