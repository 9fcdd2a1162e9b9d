using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace Workflows.Host.Scheduling;

/// <summary>
/// Hangfire's log provider is process-wide and points at the logger factory of the Host that configured it last.
/// When that Host stops (tests run several Hosts in one process, one after another and side by side), its factory
/// is disposed, and every other Host that then creates a Hangfire logger would fail to start or to run a job.
/// This provider answers with a silent logger instead.
/// </summary>
internal sealed class HangfireLogProvider(ILoggerFactory factory) : ILogProvider
{
    private readonly AspNetCoreLogProvider _inner = new(factory);

    public ILog GetLogger(string name)
    {
        try { return _inner.GetLogger(name); }
        catch (ObjectDisposedException) { return Silent.Instance; }
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
