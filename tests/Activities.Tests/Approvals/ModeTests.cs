using Workflows.Activities.Approvals;
using Workflows.Activities.Tests.Approvals.Support;
using Workflows.Engine.Execution;
using static Workflows.Activities.Tests.Approvals.Support.Def;

namespace Workflows.Activities.Tests.Approvals;

/// <summary>依次 (Sequential), 会签 (All), 或签 (Any) and 票签 (Vote).</summary>
public sealed class ModeTests
{
    private const string ThreePeople = """[{"type":"users","users":["principal.e1","lead.east","hr.1"]}]""";

    private static Task<ApprovalRun> Start(string mode, params (string, System.Text.Json.Nodes.JsonNode?)[] inputs) =>
        ApprovalRun.StartAsync(Chain(Step("step", ThreePeople, [Mode(mode), .. inputs])));

    [Fact]
    public async Task Sequential_mode_hands_out_one_task_at_a_time_in_the_order_of_the_assignees()
    {
        var run = await Start(ApprovalModes.Sequential);
        Assert.Equal(["principal.e1"], run.Pending);

        await run.ApproveAsync("principal.e1");
        Assert.Equal(["lead.east"], run.Pending);

        await run.ApproveAsync("lead.east");
        Assert.Equal(["hr.1"], run.Pending);
        Assert.Empty(run.Lines);

        await run.ApproveAsync("hr.1");
        Assert.Equal(["step:Approved"], run.Lines);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
        Assert.Equal(["principal.e1", "lead.east", "hr.1"], run.Decisions("step").Select(d => d!["userId"]!.ToString()));
    }

    [Fact]
    public async Task Sequential_mode_is_the_default_and_stops_at_the_first_reject()
    {
        var run = await ApprovalRun.StartAsync(Chain(Step("step", ThreePeople)));
        await run.ApproveAsync("principal.e1");

        await run.RejectAsync("lead.east", "材料不全");

        Assert.Equal(["step:Rejected"], run.Lines);
        Assert.Empty(run.Tasks);
    }

    [Fact]
    public async Task All_mode_hands_out_every_task_at_once_and_approves_when_everyone_approved()
    {
        var run = await Start(ApprovalModes.All);
        Assert.Equal(["principal.e1", "lead.east", "hr.1"], run.Pending);

        await run.ApproveAsync("lead.east");
        await run.ApproveAsync("hr.1");
        Assert.Equal(["principal.e1"], run.Pending);
        Assert.Empty(run.Lines);

        await run.ApproveAsync("principal.e1");
        Assert.Equal(["step:Approved"], run.Lines);
    }

    [Fact]
    public async Task All_mode_rejects_on_one_reject_and_removes_the_other_tasks()
    {
        var run = await Start(ApprovalModes.All);
        await run.ApproveAsync("principal.e1");
        var others = run.Tasks;

        await run.RejectAsync("lead.east");

        Assert.Equal(["step:Rejected"], run.Lines);
        Assert.Empty(run.Tasks);
        Assert.Contains(run.Last.RemovedBookmarks, b => b.Stimulus == "hr.1");
        Assert.Equal(others.Select(b => b.Id).Order(), run.Last.RemovedBookmarks.Where(b => b.Kind == Approval.BookmarkKind).Select(b => b.Id).Order());
    }

    [Fact]
    public async Task Any_mode_first_approval_wins_and_the_other_tasks_are_removed()
    {
        var run = await Start(ApprovalModes.Any);

        await run.ApproveAsync("hr.1");

        Assert.Equal(["step:Approved"], run.Lines);
        Assert.Empty(run.Tasks);
        // The one acted on and the two nobody needs any more.
        Assert.Equal(["hr.1", "lead.east", "principal.e1"],
            run.Last.RemovedBookmarks.Where(b => b.Kind == Approval.BookmarkKind).Select(b => b.Stimulus!).Order());
        Assert.Single(run.Decisions("step"));
    }

    [Fact]
    public async Task Any_mode_first_reject_rejects()
    {
        var run = await Start(ApprovalModes.Any);

        await run.RejectAsync("lead.east");

        Assert.Equal(["step:Rejected"], run.Lines);
        Assert.Empty(run.Tasks);
    }

    [Fact]
    public async Task Vote_mode_approves_once_two_thirds_approved_without_waiting_for_the_last_vote()
    {
        var run = await Start(ApprovalModes.Vote, ("threshold", Literal(0.667, "Double")));

        await run.ApproveAsync("principal.e1");
        await run.RejectAsync("lead.east");
        Assert.Equal(["hr.1"], run.Pending);

        await run.ApproveAsync("hr.1");
        Assert.Equal(["step:Approved"], run.Lines);

        // With four voters, two thirds needs three approvals.
        var four = await ApprovalRun.StartAsync(Chain(Step("step",
            """[{"type":"users","users":["principal.e1","lead.east","hr.1","hr.2"]}]""", Mode("Vote"), ("threshold", Literal(0.667, "Double")))));
        await four.ApproveAsync("principal.e1");
        await four.ApproveAsync("lead.east");
        Assert.Equal(["hr.1", "hr.2"], four.Pending);
        await four.ApproveAsync("hr.2");
        Assert.Equal(["step:Approved"], four.Lines);
        Assert.Empty(four.Tasks);
    }

    [Fact]
    public async Task Vote_mode_rejects_as_soon_as_two_thirds_can_no_longer_be_reached()
    {
        var run = await Start(ApprovalModes.Vote, ("threshold", Literal(0.667, "Double")));

        await run.RejectAsync("principal.e1");
        Assert.Equal(2, run.Pending.Count);

        await run.RejectAsync("hr.1");

        Assert.Equal(["step:Rejected"], run.Lines);
        Assert.Empty(run.Tasks);
    }

    [Theory]
    [InlineData(0.667, 3, 2)]
    [InlineData(0.667, 4, 3)]
    [InlineData(0.5, 2, 1)]
    [InlineData(0.5, 5, 3)]
    [InlineData(1.0, 3, 3)]
    [InlineData(0.01, 3, 1)]
    public void Votes_needed_is_the_smallest_count_that_reaches_the_threshold(double threshold, int voters, int needed) =>
        Assert.Equal(needed, Approval.VotesNeeded(threshold, voters));

    [Fact]
    public async Task A_threshold_outside_zero_to_one_faults_the_step()
    {
        var run = await Start(ApprovalModes.Vote, ("threshold", Literal(1.5, "Double")));

        Assert.Equal(WorkflowSubStatus.Faulted, run.SubStatus);
        Assert.Contains("threshold", Assert.Single(run.State.Incidents).Message);
    }
}
