using Workflows.Engine.Graph;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Graph;

public sealed class MermaidTests
{
    private static string Export(Flow flow, IReadOnlySet<string>? highlight = null) =>
        MermaidExporter.Export(flow.Definition(), highlight);

    private static Flow Approval()
    {
        var review = new Flow("review").Add(A.Event("ask", "Decided"), A.WriteLine("note", "noted")).Chain("ask", "note");
        var named = A.WriteLine("yes", "yes");
        named["name"] = "Say \"yes\"";
        return new Flow()
            .Add(A.Start(), review.AsActivity(), A.Decision("d", "true"), named, A.WriteLine("no-2", "no"))
            .Chain("start", "review", "d").Connect("d", "yes", "True").Connect("d", "no-2", "False");
    }

    [Fact]
    public void The_export_is_a_top_down_flowchart_with_one_node_per_activity()
    {
        var mermaid = Export(Approval());

        Assert.StartsWith("flowchart TD\n", mermaid);
        Assert.Contains("  n_start[\"Start\"]\n", mermaid);
        Assert.Contains("  n_d[\"FlowDecision\"]\n", mermaid);
        Assert.Contains("  n_no_2[\"WriteLine\"]\n", mermaid); // ids are made safe for Mermaid
    }

    [Fact]
    public void Edges_are_labelled_with_their_outcome_except_Done()
    {
        var mermaid = Export(Approval());

        Assert.Contains("  n_start --> n_review\n", mermaid);
        Assert.Contains("  n_d -->|True| n_yes\n", mermaid);
        Assert.Contains("  n_d -->|False| n_no_2\n", mermaid);
    }

    [Fact]
    public void A_nested_flowchart_is_a_subgraph_with_its_own_nodes_and_edges()
    {
        var mermaid = Export(Approval());

        var start = mermaid.IndexOf("  subgraph n_review[\"Flowchart\"]\n", StringComparison.Ordinal);
        var end = mermaid.IndexOf("  end\n", start, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, mermaid);
        var inside = mermaid[start..end];
        Assert.Contains("    n_ask[\"Event\"]\n", inside);
        Assert.Contains("    n_ask --> n_note\n", inside);
    }

    [Fact]
    public void Names_are_shown_with_the_type_and_quotes_are_escaped()
    {
        Assert.Contains("n_yes[\"Say #quot;yes#quot;<br/><small>WriteLine</small>\"]", Export(Approval()));
    }

    [Fact]
    public void Highlighted_activities_get_the_current_class()
    {
        var mermaid = Export(Approval(), new HashSet<string> { "ask" });

        Assert.Contains("    class n_ask current\n", mermaid);
        Assert.Contains("classDef current", mermaid);
        Assert.DoesNotContain("classDef current", Export(Approval()));
    }
}
