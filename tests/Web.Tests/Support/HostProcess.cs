using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace Workflows.Web.Tests.Support;

/// <summary>
/// The real Host, started from its own build output as a child process on 127.0.0.1 (a free port), with a temporary
/// SQLite database holding the demo county. Its output is kept for failure messages.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public string BaseUrl { get; }
    public string DataDirectory { get; }
    public string Output { get { lock (_output) return _output.ToString(); } }

    private HostProcess(Process process, string baseUrl, string dataDirectory)
    {
        _process = process;
        BaseUrl = baseUrl;
        DataDirectory = dataDirectory;
    }

    public static string RepositoryRoot => Path.GetFullPath(Metadata("RepositoryRoot"));

    public static async Task<HostProcess> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var dll = Path.GetFullPath(Metadata("HostAssembly"));
        if (!File.Exists(dll)) throw new InvalidOperationException($"The Host is not built: {dll}");
        var data = Directory.CreateTempSubdirectory("workflows-web-").FullName;
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = FreePort();
            var url = $"http://127.0.0.1:{port}";
            var start = new ProcessStartInfo("dotnet", [dll])
            {
                WorkingDirectory = RepositoryRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            var env = start.Environment;
            env["WORKFLOWS_ROOT"] = RepositoryRoot;
            env["ASPNETCORE_ENVIRONMENT"] = "Production";
            env["Urls"] = url;
            env["Database__Provider"] = "Sqlite";
            env["Database__ConnectionString"] = $"Data Source={Path.Combine(data, "web.db")}";
            env["Smtp__Host"] = "";
            env["Smtp__PickupDirectory"] = Path.Combine(data, "mail");
            env["Auth__KeysDirectory"] = Path.Combine(data, "keys");
            env["Workflows__PublicBaseUrl"] = url;
            env["Workflows__DemoData"] = "true";
            env["Workflows__DemoPassword"] = Demo.Password;
            env["Logging__LogLevel__Default"] = "Warning";
            foreach (var (key, value) in settings ?? new Dictionary<string, string>()) env[key] = value;

            var process = new Process { StartInfo = start, EnableRaisingEvents = true };
            var host = new HostProcess(process, url, data);
            process.OutputDataReceived += (_, e) => host.Append(e.Data);
            process.ErrorDataReceived += (_, e) => host.Append(e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                await host.WaitReadyAsync(TimeSpan.FromSeconds(180));
                return host;
            }
            catch (Exception ex)
            {
                last = ex;
                await host.StopAsync();
            }
        }
        throw new InvalidOperationException("The Host did not start.", last);
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) if (_output.Length < 200_000) _output.AppendLine(line);
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The Host exited ({_process.ExitCode}):\n{Output}");
            try
            {
                var response = await client.GetAsync($"{BaseUrl}/health/ready");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The Host was not ready in {timeout}:\n{Output}");
    }

    private async Task StopAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException) { }
        _process.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(DataDirectory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Metadata(string key) =>
        typeof(HostProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
