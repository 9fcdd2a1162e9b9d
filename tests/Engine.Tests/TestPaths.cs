namespace Workflows.Engine.Tests;

internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();

    /// <summary>../shared beside the repository (CI clones main with shared/ next to it).</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Workflows.sln"))) return dir.FullName;
        throw new InvalidOperationException("Workflows.sln not found above the test binaries.");
    }
}
