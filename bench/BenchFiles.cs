namespace Workflows.Bench;

/// <summary>The workflow JSON files of bench/workflows/, copied next to the binary.</summary>
internal static class BenchFiles
{
    public static string Path(string name)
    {
        var path = System.IO.Path.Combine(AppContext.BaseDirectory, "workflows", name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"bench/workflows/{name} was not copied to the output folder.", path);
    }
}
