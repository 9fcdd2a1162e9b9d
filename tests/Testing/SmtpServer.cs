using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Workflows.Testing;

/// <summary>
/// A real SMTP server (Python's aiosmtpd, Debian package python3-aiosmtpd) on a free loopback
/// port that stores every message in a maildir. It can be stopped and started again on the
/// same port to simulate an outage. Create one per test class (class fixture) or per test:
/// tests that stop it must not share it.
/// </summary>
public sealed class SmtpServer : IAsyncLifetime
{
    // Debian's interpreter: that is where python3-aiosmtpd installs (a pyenv python3 on PATH lacks it).
    private const string Python = "/usr/bin/python3";
    private readonly StringBuilder _output = new();
    private Process? _process;

    public SmtpServer()
    {
        MaildirPath = Directory.CreateTempSubdirectory("workflows-smtp-").FullName;
        // Python's mailbox.Maildir creates these only when the root itself does not exist yet.
        foreach (var sub in new[] { "tmp", "new", "cur" }) Directory.CreateDirectory(Path.Combine(MaildirPath, sub));
        Port = FreePort.Next();
    }

    public string Host => "127.0.0.1";
    public int Port { get; }
    /// <summary>Maildir root; delivered messages are files in its <c>new</c> folder.</summary>
    public string MaildirPath { get; }
    public bool IsRunning => _process is { HasExited: false };

    public static async Task<SmtpServer> StartNewAsync()
    {
        var server = new SmtpServer();
        await server.StartAsync().ConfigureAwait(false);
        return server;
    }

    public ValueTask InitializeAsync() => new(StartAsync());

    /// <summary>Starts the server (again) on <see cref="Port"/> and waits until it greets with 220.</summary>
    public async Task StartAsync()
    {
        if (IsRunning) return;
        if (!File.Exists(Python))
            throw new InvalidOperationException($"{Python} not found: install it with `apt-get install -y python3-aiosmtpd`.");
        var psi = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // -n: do not try to drop privileges to 'nobody' (we may be root).
        foreach (var a in new[] { "-m", "aiosmtpd", "-n", "-l", $"{Host}:{Port}", "-c", "aiosmtpd.handlers.Mailbox", MaildirPath })
            psi.ArgumentList.Add(a);
        psi.Environment["PYTHONUNBUFFERED"] = "1";
        lock (_output) _output.Clear();
        var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start aiosmtpd.");
        process.OutputDataReceived += (_, e) => Capture(e.Data);
        process.ErrorDataReceived += (_, e) => Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilReadyAsync(process).ConfigureAwait(false);
    }

    public void Start() => StartAsync().GetAwaiter().GetResult();

    /// <summary>Kills the server; connections are refused until <see cref="StartAsync"/>.</summary>
    public void Stop()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
        _process = null;
    }

    /// <summary>All delivered messages, oldest first.</summary>
    public IReadOnlyList<ReceivedMessage> ReadMessages() =>
        new[] { "new", "cur" }
            .Select(d => Path.Combine(MaildirPath, d))
            .Where(Directory.Exists)
            .SelectMany(Directory.GetFiles)
            .Select(f => new FileInfo(f))
            .OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => ReceivedMessage.Load(f.FullName))
            .ToList();

    /// <summary>Waits until at least <paramref name="count"/> messages arrived (for asynchronous senders).</summary>
    public async Task<IReadOnlyList<ReceivedMessage>> WaitForMessagesAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var messages = ReadMessages();
            if (messages.Count >= count) return messages;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Expected {count} message(s) within the timeout, got {messages.Count}.");
            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes the delivered messages.</summary>
    public void ClearMessages()
    {
        foreach (var dir in new[] { "new", "cur" }.Select(d => Path.Combine(MaildirPath, d)).Where(Directory.Exists))
            foreach (var file in Directory.GetFiles(dir)) File.Delete(file);
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        try { Directory.Delete(MaildirPath, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }

    private async Task WaitUntilReadyAsync(Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (process.HasExited)
            {
                process.WaitForExit(); // flush the captured output
                throw new InvalidOperationException(
                    $"aiosmtpd exited with {process.ExitCode} (is python3-aiosmtpd installed? `apt-get install -y python3-aiosmtpd`):\n{Output}");
            }
            if (await GreetsAsync().ConfigureAwait(false)) return;
            if (DateTime.UtcNow > deadline)
            {
                Stop();
                throw new TimeoutException($"aiosmtpd did not accept connections on {Host}:{Port}:\n{Output}");
            }
            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    // Reads the 220 banner rather than only connecting, so "ready" means SMTP is answering.
    private async Task<bool> GreetsAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(Host, Port, cts.Token).ConfigureAwait(false);
            using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
            var banner = await reader.ReadLineAsync(cts.Token).ConfigureAwait(false);
            if (banner?.StartsWith("220", StringComparison.Ordinal) != true) return false;
            var bytes = Encoding.ASCII.GetBytes("QUIT\r\n");
            await client.GetStream().WriteAsync(bytes, cts.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private void Capture(string? line)
    {
        if (line is null) return;
        lock (_output) if (_output.Length < 64_000) _output.AppendLine(line);
    }

    private string Output { get { lock (_output) return _output.ToString(); } }
}
