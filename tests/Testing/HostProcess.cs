using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;

namespace Workflows.Testing;

/// <summary>
/// The real Host as a child process (<c>dotnet Workflows.Host.dll</c>) on its own 127.0.0.1 port, configured only through
/// environment variables. It can be killed with SIGKILL (a crash), stopped with SIGTERM (a graceful shutdown) and started
/// again on the same port with the same settings. Its output is kept for failure messages. Used by the fault harness, the
/// Hosts benchmark and the browser tests.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly string _dll;
    private readonly string _root;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly StringBuilder _output = new();
    private readonly bool _portPicked;
    private Process? _process;

    public HostProcess(string name, string hostDll, string repositoryRoot, IReadOnlyDictionary<string, string> settings, int? port = null)
    {
        Name = name;
        _dll = Path.GetFullPath(hostDll);
        if (!File.Exists(_dll)) throw new InvalidOperationException($"The Host is not built (dotnet build -c Release): {_dll}");
        _root = Path.GetFullPath(repositoryRoot);
        _settings = settings;
        _portPicked = port is null;
        Port = port ?? FreePort.Next();
    }

    public string Name { get; }
    public int Port { get; private set; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";
    public int? ProcessId => _process is null ? null : _pid;
    /// <summary>Started and not yet exited (read from any thread while the Host is killed and started again).</summary>
    public bool IsRunning => Volatile.Read(ref _running);
    private bool _running;
    private int _pid;
    /// <summary>Times this Host was started.</summary>
    public int Starts { get; private set; }
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>
    /// Sets DOTNET_gcServer=0 (the default): several Hosts share two cores, and the workstation GC keeps each one small.
    /// False leaves the Host's own GC setting (the server GC of an ASP.NET Core app).
    /// </summary>
    public bool WorkstationGc { get; init; } = true;

    /// <summary>
    /// How often the first start is tried (default 1). A failed try is killed and the next one gets a new free port, since
    /// another process may have taken the picked one before the Host bound it; only when the constructor picked the port.
    /// </summary>
    public int StartAttempts { get; init; } = 1;

    /// <summary>
    /// Starts the process and waits until /health/ready answers 200. A start that fails (the process exits or is not ready
    /// in time) is killed; see <see cref="StartAttempts"/> for trying again.
    /// </summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        if (IsRunning) return;
        var attempts = Starts == 0 && _portPicked ? Math.Max(1, StartAttempts) : 1;
        for (var attempt = 1; ; attempt++)
        {
            var process = Launch();
            try
            {
                await WaitReadyAsync(process, timeout ?? TimeSpan.FromSeconds(180)).ConfigureAwait(false);
                Volatile.Write(ref _running, !process.HasExited); // callers pick only Hosts that are ready
                return;
            }
            catch (Exception ex)
            {
                Append($"---- {Name}: start #{Starts} failed ({ex.GetType().Name}) at {DateTime.UtcNow:O} ----");
                await StopAsync(process).ConfigureAwait(false);
                if (attempt >= attempts) throw;
                Port = FreePort.Next();
            }
        }
    }

    private Process Launch()
    {
        _process?.Dispose();
        _process = null;
        var start = new ProcessStartInfo("dotnet", [_dll])
        {
            WorkingDirectory = _root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var env = start.Environment;
        env["WORKFLOWS_ROOT"] = _root;
        env["ASPNETCORE_ENVIRONMENT"] = "Production";
        if (WorkstationGc) env["DOTNET_gcServer"] = "0";
        env["Urls"] = BaseUrl;
        env["Workflows__PublicBaseUrl"] = BaseUrl;
        env["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in _settings) env[key] = value;
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.Exited += (_, _) => Volatile.Write(ref _running, false);
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        Append($"---- {Name}: start #{Starts + 1} at {DateTime.UtcNow:O} ----");
        process.Start();
        _pid = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Starts++;
        return process;
    }

    /// <summary>SIGKILL: the process dies at once, whatever it was doing.</summary>
    public async Task KillAsync()
    {
        if (_process is not { HasExited: false } p) return;
        Volatile.Write(ref _running, false);
        Append($"---- {Name}: SIGKILL at {DateTime.UtcNow:O} ----");
        p.Kill(entireProcessTree: false); // SIGKILL on Linux
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    }

    /// <summary>SIGTERM: a graceful shutdown; returns the exit code once the process ended.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (_process is not { HasExited: false } p) return _process?.ExitCode ?? 0;
        Volatile.Write(ref _running, false); // no new calls; those under way are finished by the graceful stop
        Append($"---- {Name}: SIGTERM at {DateTime.UtcNow:O} ----");
        if (SysKill(p.Id, 15) != 0) throw new InvalidOperationException($"kill -TERM {p.Id} failed ({Marshal.GetLastPInvokeError()}).");
        await p.WaitForExitAsync().WaitAsync(timeout).ConfigureAwait(false);
        return p.ExitCode;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SysKill(int pid, int signal);

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            if (_output.Length > 400_000) _output.Remove(0, 100_000); // keep the latest output
            _output.AppendLine(line);
        }
    }

    private async Task WaitReadyAsync(Process process, TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (process.HasExited) throw new InvalidOperationException($"Host {Name} exited ({process.ExitCode}):\n{Output}");
            try
            {
                var response = await client.GetAsync($"{BaseUrl}/health/ready").ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200).ConfigureAwait(false);
        }
        throw new TimeoutException($"Host {Name} was not ready in {timeout}:\n{Output}");
    }

    /// <summary>Kills the process with its children and waits up to 15 s for it to end.</summary>
    private static async Task StopAsync(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException) { }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { } p) await StopAsync(p).ConfigureAwait(false);
        _process?.Dispose();
        _process = null;
    }
}
