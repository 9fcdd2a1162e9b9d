using Workflows.Engine.Execution;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Expressions;

/// <summary>A runaway script or a loop that never waits faults the instance instead of hanging the host.</summary>
public sealed class ScriptLimitTests
{
    // A generous time limit, so that the limit under test is the one that stops the script even on a slow machine.
    private static WorkflowEngineOptions Generous() => new() { Scripts = { Timeout = TimeSpan.FromSeconds(30) } };

    private static async Task<Incident> Faults(string script, WorkflowEngineOptions? options = null)
    {
        var run = await Runner.StartAsync(new Flow()
            .Add(A.Start(), A.WriteLineJs("js", script), A.WriteLine("after", "after"))
            .Chain("start", "js", "after"), options: options ?? Generous());

        Assert.Equal(WorkflowStatus.Finished, run.Status);
        Assert.Equal(WorkflowSubStatus.Faulted, run.SubStatus);
        Assert.Empty(run.Lines);
        var incident = Assert.Single(run.State.Incidents);
        Assert.Equal("js", incident.ActivityId);
        return incident;
    }

    [Fact]
    public async Task An_endless_loop_faults_with_the_statement_limit()
    {
        var incident = await Faults("while (true) {}");

        Assert.Contains("more statements than the limit allows", incident.Message);
    }

    [Fact]
    public async Task The_statement_limit_is_configurable()
    {
        var options = new WorkflowEngineOptions { Scripts = { MaxStatements = 1_000, Timeout = TimeSpan.FromSeconds(30) } };

        var incident = await Faults("var n = 0; for (var i = 0; i < 5000; i++) { n++; } n", options);
        Assert.Contains("statements", incident.Message);

        var fine = await Runner.StartAsync(new Flow().Add(A.WriteLineJs("js", "var n = 0; for (var i = 0; i < 100; i++) { n++; } '' + n")), options: options);
        Assert.Equal(["100"], fine.Lines);
    }

    [Fact]
    public async Task Deep_recursion_faults_with_the_recursion_limit()
    {
        var incident = await Faults("function down(n) { return down(n + 1); } down(0)");

        Assert.Contains("recursion went deeper than the limit allows", incident.Message);
    }

    [Fact]
    public async Task A_memory_hog_faults_with_the_memory_limit()
    {
        var incident = await Faults("var parts = []; while (true) { parts.push(new Array(100000).join('x')); }");

        Assert.Contains("more memory than the limit allows", incident.Message);
    }

    [Fact]
    public async Task A_time_limit_stops_a_slow_script()
    {
        var options = new WorkflowEngineOptions { Scripts = { MaxStatements = 0, Timeout = TimeSpan.FromMilliseconds(100) } };

        var incident = await Faults("while (true) {}", options);

        Assert.Contains("longer than the time limit", incident.Message);
    }

    [Fact]
    public async Task A_script_that_throws_faults_with_its_message()
    {
        var incident = await Faults("throw new Error('boom')");

        Assert.Contains("Script error: boom", incident.Message);
    }

    [Fact]
    public async Task A_script_that_does_not_compile_faults_when_it_runs()
    {
        var incident = await Faults("getX(");

        Assert.Contains("does not compile", incident.Message);
    }

    [Fact]
    public async Task A_flowchart_loop_whose_exit_never_comes_faults_with_the_step_budget()
    {
        var options = new WorkflowEngineOptions { MaxStepsPerRun = 50 };
        var run = await Runner.StartAsync(new Flow()
            .Add(A.Start(), A.WriteLine("w", "spin"), A.Decision("d", "true"), A.WriteLine("out", "out"))
            .Chain("start", "w", "d").Connect("d", "w", "True").Connect("d", "out", "False"), options: options);

        Assert.Equal(WorkflowSubStatus.Faulted, run.SubStatus);
        var incident = Assert.Single(run.State.Incidents);
        Assert.Contains("exceeded its budget of 50 activity executions", incident.Message);
        Assert.Equal(51, run.Last.Steps);
        Assert.Equal(24, run.Lines.Count); // start, then (w, d) rounds until the 51st execution
        Assert.DoesNotContain("out", run.Lines);
    }
}
