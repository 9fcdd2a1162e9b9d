using Workflows.Engine.Definitions;
using Workflows.Engine.Execution;

namespace Workflows.Engine.Tests.Conformance;

/// <summary>The drivers of the conformance manifest: runUntilEnd, executeOnce.</summary>
internal static class ConformanceDriver
{
    public static async Task<(WorkflowState State, List<string> Lines)> RunAsync(WorkflowEngine engine, WorkflowDefinition definition, string driver)
    {
        var lines = new List<string>();
        var result = await engine.StartAsync(definition);
        lines.AddRange(result.WriteLines);
        var state = result.State;
        if (driver != "runUntilEnd") return (state, lines);

        for (var round = 0; round < 100 && state.Status == WorkflowStatus.Running && state.Bookmarks.Count > 0; round++)
        {
            foreach (var bookmark in state.Bookmarks.ToList())
            {
                if (state.Bookmarks.All(b => b.Id != bookmark.Id)) continue;
                // Round-trip through JSON between resumes, as a host would.
                state = WorkflowState.FromJson(state.ToJson());
                var next = await engine.ResumeAsync(definition, state, bookmark.Id);
                lines.AddRange(next.WriteLines);
                state = next.State;
            }
        }
        return (state, lines);
    }
}
