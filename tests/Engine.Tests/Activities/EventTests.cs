using System.Text.Json.Nodes;
using Workflows.Engine.Bookmarks;
using Workflows.Engine.Execution;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Activities;

public sealed class EventTests
{
    private static Flow OrderFlow() => new Flow()
        .Variable("Order")
        .Add(A.Start(), A.Event("ev", "OrderPlaced", resultVariable: "Order"),
            A.WriteLineJs("w", "'order ' + getVariable('Order').id + ' for ' + getOrder().amount"))
        .Chain("start", "ev", "w");

    [Fact]
    public async Task Event_waits_with_a_bookmark_named_after_the_event()
    {
        var run = await Runner.StartAsync(OrderFlow());

        var bookmark = run.BookmarkAt("ev");
        Assert.Equal("Elsa.Event", bookmark.Kind);
        Assert.Equal("OrderPlaced", bookmark.Stimulus);
        Assert.Null(bookmark.DueAt);
        Assert.Equal("instance-1", bookmark.InstanceId);
        Assert.Equal(WorkflowStatus.Running, run.Status);
        Assert.Equal(WorkflowSubStatus.Suspended, run.SubStatus);
        Assert.Empty(run.Lines);
    }

    [Fact]
    public async Task Resuming_an_Event_binds_its_payload_to_the_variable_of_its_result()
    {
        var run = await Runner.StartAsync(OrderFlow());

        await run.ResumeAsync("ev", JsonNode.Parse("""{"id":"A7","amount":30}"""));

        Assert.Equal(["order A7 for 30"], run.Lines);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"id":"A7","amount":30}"""), run.Variable("Order")));
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
    }

    [Fact]
    public async Task Resuming_a_bookmark_twice_throws()
    {
        var run = await Runner.StartAsync(OrderFlow());
        var bookmark = run.BookmarkAt("ev");
        await run.ResumeAsync(bookmark, JsonNode.Parse("""{"id":"A7","amount":30}"""));

        await Assert.ThrowsAsync<BookmarkNotFoundException>(() => run.ResumeAsync(bookmark));
    }

    [Fact]
    public async Task An_Event_without_a_name_faults()
    {
        var run = await Runner.StartAsync(new Flow().Add(A.Node("ev", "Elsa.Event")));

        Assert.Equal(WorkflowSubStatus.Faulted, run.SubStatus);
        Assert.Equal("ev", Assert.Single(run.State.Incidents).ActivityId);
    }
}
