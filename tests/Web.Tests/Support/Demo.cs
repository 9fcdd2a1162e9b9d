namespace Workflows.Web.Tests.Support;

/// <summary>The demo county's accounts (src/Host/People/DemoOrganization.cs).</summary>
public static class Demo
{
    public const string Password = "Demo@2026";
    public const string Admin = "admin@demo.local";
    public const string Personnel = "personnel@demo.local";
    public const string Lead1 = "lead1@demo.local";
    public const string Principal1 = "principal1@demo.local";
    public const string Principal2 = "principal2@demo.local";
    public const string Office1Email = "office1@demo.local";
    public const string Teacher1 = "teacher1@demo.local";
}
