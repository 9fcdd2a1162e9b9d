using System.Diagnostics;

namespace Workflows.Testing;

/// <summary>Runs short-lived helper programs (initdb, pg_ctl, chown) and fails loudly with their output.</summary>
internal static class ProcessRunner
{
    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>
    /// Runs <paramref name="file"/>; with <paramref name="asPostgresUser"/> and when we are root,
    /// through <c>runuser -u postgres</c>, because PostgreSQL refuses to run as root.
    /// </summary>
    public static async Task<string> RunAsync(string file, IEnumerable<string> args, bool asPostgresUser = false,
        string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        if (asPostgresUser && IsRoot)
        {
            psi.FileName = "runuser";
            foreach (var a in new[] { "-u", "postgres", "--", file }) psi.ArgumentList.Add(a);
        }
        else psi.FileName = file;
        foreach (var a in args) psi.ArgumentList.Add(a);

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Describe(psi)} did not finish in time.");
        }
        var output = await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Describe(psi)} exited with {process.ExitCode}:\n{output}");
        return output;
    }

    private static string Describe(ProcessStartInfo psi) => $"'{psi.FileName} {string.Join(' ', psi.ArgumentList)}'";
}
