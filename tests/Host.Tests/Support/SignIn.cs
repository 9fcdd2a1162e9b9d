using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Workflows.Host.Features.Auth;
using Workflows.Host.People;

namespace Workflows.Host.Tests.Support;

/// <summary>
/// Signing in, for tests. Every Host seeds the demo organisation (<see cref="DemoOrganization"/>, password
/// <see cref="Password"/>) and <see cref="TestHost.Client"/> is already signed in as <see cref="Admin"/>. For another person:
/// <code>
/// var teacher = host.CreateClient();                 // not signed in
/// await teacher.SignInAsAsync(SignIn.Teacher1);      // now it carries teacher1's cookie
/// var cookie = await host.CookieAsync(SignIn.Lead1); // or just the Cookie header, for host.Server.SendAsync
/// </code>
/// </summary>
public static class SignIn
{
    public const string Password = "Demo@2026";
    public const string Admin = DemoOrganization.AdminEmail;
    public const string Personnel = DemoOrganization.PersonnelEmail;
    public const string Designer = DemoOrganization.DesignerEmail;
    public const string Lead1 = DemoOrganization.Lead1Email;
    public const string Principal1 = DemoOrganization.Principal1Email;
    public const string Office1 = DemoOrganization.Office1Email;
    public const string Teacher1 = DemoOrganization.Teacher1Email;
    public const string Teacher2 = DemoOrganization.Teacher2Email;

    /// <summary>Signs the client in (its cookie container keeps the cookie); returns /api/me's answer.</summary>
    public static async Task<JsonObject> SignInAsAsync(this HttpClient client, string email, string password = Password)
    {
        var response = await client.PostJson("/api/auth/sign-in", new JsonObject { ["email"] = email, ["password"] = password })
            .Expect(HttpStatusCode.OK);
        return await response.ReadObjectAsync();
    }

    /// <summary>A new client of the Host signed in as <paramref name="email"/>.</summary>
    public static async Task<HttpClient> ClientForAsync(this TestHost host, string email, string password = Password)
    {
        var client = host.CreateClient();
        await client.SignInAsAsync(email, password);
        return client;
    }

    /// <summary>The Cookie header value of a sign-in as <paramref name="email"/> (for clients that keep no cookies).</summary>
    public static async Task<string> CookieAsync(this TestHost host, string email, string password = Password)
    {
        using var client = host.Server.CreateClient();
        var response = await client.PostJson("/api/auth/sign-in", new JsonObject { ["email"] = email, ["password"] = password })
            .Expect(HttpStatusCode.OK);
        var setCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AuthServiceCollectionExtensions.CookieName + "=", StringComparison.Ordinal));
        return setCookie.Split(';')[0];
    }

    internal static WebApplicationFactoryClientOptions ClientOptions => new() { AllowAutoRedirect = false };
}
