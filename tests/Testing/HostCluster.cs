using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Workflows.Testing;

/// <summary>The answer of one API call: the status (0 when no Host answered at all), the body, and how many Hosts failed first.</summary>
public sealed record ApiAnswer(int Status, JsonNode? Body, int TransportFailures, string Host)
{
    public bool Ok => Status is >= 200 and < 300;
}

/// <summary>
/// Several Hosts of one database seen as one service: each call goes to a random running Host; when that Host does not
/// answer (killed, restarting) or answers 502–504, the call goes to another one, until a deadline. Sign-ins are cookies
/// kept per user and sent to whichever Host serves the call (every Host shares the sign-in key ring).
/// </summary>
public sealed class HostCluster(IReadOnlyList<HostProcess> hosts) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        UseCookies = false, AllowAutoRedirect = false, MaxConnectionsPerServer = 64,
        PooledConnectionLifetime = TimeSpan.FromSeconds(30),
    }) { Timeout = TimeSpan.FromSeconds(100) };
    private readonly Dictionary<string, string> _cookies = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<HostProcess> Hosts { get; } = hosts;
    /// <summary>How long a call keeps trying other Hosts while none answers.</summary>
    public TimeSpan FailoverDeadline { get; set; } = TimeSpan.FromSeconds(180);
    public int TransportFailures;

    /// <summary>Signs <paramref name="email"/> in (through any Host) and returns the user's id.</summary>
    public async Task<string> SignInAsync(string email, string password)
    {
        var body = new JsonObject { ["email"] = email, ["password"] = password }.ToJsonString();
        var deadline = DateTime.UtcNow + FailoverDeadline;
        while (true)
        {
            var host = Pick();
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"{host.BaseUrl}/api/auth/sign-in")
                    { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                using var response = await _http.SendAsync(request).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.OK)
                    throw new InvalidOperationException($"Sign-in of {email} on {host.Name}: {(int)response.StatusCode} {text}");
                var cookie = response.Headers.GetValues("Set-Cookie").First(c => c.StartsWith("workflows.auth=", StringComparison.Ordinal));
                lock (_cookies) _cookies[email] = cookie.Split(';')[0];
                return JsonNode.Parse(text)!["id"]!.ToString();
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                Interlocked.Increment(ref TransportFailures);
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }

    public Task<ApiAnswer> PostAsync(string user, string path, JsonNode body, HostProcess? host = null,
        IReadOnlyDictionary<string, string>? headers = null) =>
        SendAsync(user, HttpMethod.Post, path, body, host, headers);

    public Task<ApiAnswer> GetAsync(string user, string path, HostProcess? host = null) => SendAsync(user, HttpMethod.Get, path, null, host);

    /// <summary>
    /// Sends the call to <paramref name="host"/> (or a random running Host). A Host that does not answer is replaced by another
    /// one; the answer says how many did not, since a POST whose Host died may or may not have been carried out.
    /// </summary>
    public async Task<ApiAnswer> SendAsync(string user, HttpMethod method, string path, JsonNode? body, HostProcess? host = null,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        string cookie;
        lock (_cookies) cookie = _cookies[user];
        var deadline = DateTime.UtcNow + FailoverDeadline;
        var failures = 0;
        while (true)
        {
            var target = failures == 0 && host is not null ? host : Pick();
            try
            {
                using var request = new HttpRequestMessage(method, target.BaseUrl + path);
                request.Headers.Add("Cookie", cookie);
                foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.Add(name, value);
                if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
                using var response = await _http.SendAsync(request).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status is 502 or 503 or 504) throw new HttpRequestException($"{status} from {target.Name}");
                var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                JsonNode? node = null;
                if (text.Length > 0 && text[0] is '{' or '[')
                {
                    try { node = JsonNode.Parse(text); } catch (System.Text.Json.JsonException) { }
                }
                return new ApiAnswer(status, node ?? (text.Length > 0 ? JsonValue.Create(text) : null), failures, target.Name);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
            {
                failures++;
                Interlocked.Increment(ref TransportFailures);
                if (DateTime.UtcNow > deadline) return new ApiAnswer(0, JsonValue.Create(ex.Message), failures, target.Name);
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A random Host that is running (or any, while all are down: the call then fails over).</summary>
    public HostProcess Pick()
    {
        var running = Hosts.Where(h => h.IsRunning).ToList();
        var from = running.Count > 0 ? running : Hosts;
        return from[Random.Shared.Next(from.Count)];
    }

    public void Dispose() => _http.Dispose();
}
