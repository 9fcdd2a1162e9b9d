using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Workflows.Host.Components.Web;

/// <summary>
/// Where the person using a page is (address, browser), for the journal. An interactive page has no HttpContext of
/// its own; the circuit's connection request provides these once.
/// </summary>
public sealed class ClientInfo
{
    public string? RemoteAddress { get; private set; }
    public string? UserAgent { get; private set; }

    public void Capture(HttpContext? http)
    {
        if (http is null) return;
        RemoteAddress = http.Connection.RemoteIpAddress?.ToString();
        UserAgent = http.Request.Headers.UserAgent.ToString();
    }

    public void ApplyTo(HttpContext http)
    {
        if (RemoteAddress is not null && System.Net.IPAddress.TryParse(RemoteAddress, out var address)) http.Connection.RemoteIpAddress = address;
        if (!string.IsNullOrEmpty(UserAgent)) http.Request.Headers.UserAgent = UserAgent;
    }
}

/// <summary>Fills <see cref="ClientInfo"/> when a circuit connects.</summary>
public sealed class ClientInfoCircuitHandler(ClientInfo client, IHttpContextAccessor accessor) : CircuitHandler
{
    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        client.Capture(accessor.HttpContext);
        return Task.CompletedTask;
    }
}
