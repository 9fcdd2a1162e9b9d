using System.Text;
using Workflows.Engine.Definitions;

namespace Workflows.Engine.Graph;

/// <summary>Exports a definition as a Mermaid flowchart, for docs and the UI; nested flowcharts become subgraphs.</summary>
public static class MermaidExporter
{
    /// <param name="portLabel">The text on a connection leaving through a port (e.g. a translation); the port's name without it.</param>
    public static string Export(WorkflowDefinition definition, IReadOnlySet<string>? highlight = null, Func<string, string>? portLabel = null)
    {
        var sb = new StringBuilder("flowchart TD\n");
        Write(sb, definition.Root, "  ", highlight ?? new HashSet<string>(), portLabel ?? (p => p));
        if (highlight is { Count: > 0 })
            sb.Append("  classDef current fill:#fde68a,stroke:#b45309,stroke-width:2px\n");
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, ActivityNode node, string indent, IReadOnlySet<string> highlight, Func<string, string> portLabel)
    {
        foreach (var child in node.Children)
        {
            if (child.Children.Count > 0)
            {
                sb.Append($"{indent}subgraph {Id(child)}[\"{Label(child)}\"]\n");
                Write(sb, child, indent + "  ", highlight, portLabel);
                sb.Append($"{indent}end\n");
            }
            else sb.Append($"{indent}{Id(child)}[\"{Label(child)}\"]\n");
            if (highlight.Contains(child.Id)) sb.Append($"{indent}class {Id(child)} current\n");
        }
        foreach (var c in node.Connections)
            sb.Append($"{indent}{Safe(c.SourceId)} -->{(c.SourcePort == "Done" ? "" : $"|{Escape(portLabel(c.SourcePort))}|")} {Safe(c.TargetId)}\n");
    }

    private static string Id(ActivityNode n) => Safe(n.Id);

    // Mermaid ids must be simple; activity ids may hold '-' or start with a digit.
    private static string Safe(string id) => "n_" + new string(id.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());

    private static string Label(ActivityNode n)
    {
        var type = n.Type.Contains('.') ? n.Type[(n.Type.LastIndexOf('.') + 1)..] : n.Type;
        var name = n.Name ?? n.Raw["metadata"]?["displayText"]?.ToString();
        return Escape(name is null || name == type ? type : $"{name}<br/><small>{type}</small>");
    }

    private static string Escape(string s) => s.Replace("\"", "#quot;");
}
