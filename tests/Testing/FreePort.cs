using System.Net;
using System.Net.Sockets;

namespace Workflows.Testing;

internal static class FreePort
{
    /// <summary>
    /// A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it). Another process
    /// could take it before the server binds, so callers retry a failed start.
    /// </summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
