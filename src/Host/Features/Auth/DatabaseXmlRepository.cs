using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Features.Auth;

/// <summary>
/// The data-protection key ring in the <c>signing_keys</c> table: every Host on the database reads and writes the same
/// keys, so a cookie signed by one Host is accepted by all of them and survives restarts. Hosts that start together may
/// each create a key; the ring then holds both, and a Host that meets a key it has not loaded reloads the ring.
/// </summary>
internal sealed class DatabaseXmlRepository(IServiceProvider services) : IXmlRepository
{
    // The framework calls these synchronously (when the ring is first needed and when it creates a key).
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var db = Contexts().CreateDbContext();
        return db.SigningKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).ToList()
            .Select(xml => XElement.Parse(xml)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var db = Contexts().CreateDbContext();
        db.SigningKeys.Add(new SigningKeyRecord
        {
            FriendlyName = friendlyName.Length > 200 ? friendlyName[..200] : friendlyName,
            Xml = element.ToString(SaveOptions.DisableFormatting),
            CreatedAt = services.GetRequiredService<TimeProvider>().GetUtcNow(),
        });
        db.SaveChanges();
    }

    private IDbContextFactory<WorkflowsDbContext> Contexts() => services.GetRequiredService<IDbContextFactory<WorkflowsDbContext>>();
}
