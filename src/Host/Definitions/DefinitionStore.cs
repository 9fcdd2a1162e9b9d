using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Workflows.Engine.Activities;
using Workflows.Engine.Definitions;
using Workflows.Engine.Validation;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Definitions;

/// <summary>
/// Definitions, every version, in the database. A stored version never changes, so parsed definitions are
/// cached per (id, version) in every Host without any invalidation.
/// </summary>
public sealed class DefinitionStore(IDbContextFactory<WorkflowsDbContext> contexts, ActivityRegistry registry, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string, int), WorkflowDefinition> _cache = new();

    public ValidationReport Validate(string json) => WithinColumnSizes(DefinitionValidator.Validate(json, registry));

    // Column sizes of the definitions, bookmarks and journal tables (Persistence's Lengths): a longer value is refused
    // here as a problem of the definition, not by the database (PostgreSQL, SQL Server) as a failed save.
    internal const int MaxDefinitionId = 100, MaxName = 200, MaxActivityId = 100;

    private static ValidationReport WithinColumnSizes(ValidationReport report)
    {
        if (report.Definition is not { } definition) return report;
        var problems = new List<ValidationProblem>();
        if (definition.DefinitionId.Length > MaxDefinitionId)
            problems.Add(ValidationProblem.Error(null, $"The definitionId is longer than {MaxDefinitionId} characters.",
                $"流程编号（definitionId）不能超过 {MaxDefinitionId} 个字符。"));
        if (definition.Name?.Length > MaxName)
            problems.Add(ValidationProblem.Error(null, $"The name is longer than {MaxName} characters.",
                $"流程名称（name）不能超过 {MaxName} 个字符。"));
        foreach (var node in definition.AllActivities.Where(n => n.Id.Length > MaxActivityId))
            problems.Add(ValidationProblem.Error(node.Id, $"The activity id is longer than {MaxActivityId} characters.",
                $"节点 id 不能超过 {MaxActivityId} 个字符。"));
        return problems.Count == 0 ? report : report with { Problems = [.. report.Problems, .. problems] };
    }

    /// <summary>
    /// Stores a definition: identical content to the latest version → that version, unchanged;
    /// otherwise a new version. Invalid definitions are refused with every problem.
    /// </summary>
    public async Task<ImportResult> ImportAsync(string json, bool publish, string source, CancellationToken ct = default)
    {
        var report = Validate(json);
        if (!report.Succeeded) return new ImportResult(null, false, report);
        var raw = report.Definition!.Raw;
        var definitionId = report.Definition.DefinitionId;
        var hash = Hash(Canonical(raw));

        // Imports of the same definition id at the same moment race for the next version number (unique id+version):
        // the loser looks again, and either finds its content already stored or takes the version after the winner's.
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            var latest = await db.Definitions.Where(d => d.DefinitionId == definitionId)
                .OrderByDescending(d => d.Version).FirstOrDefaultAsync(ct);
            if (latest is not null && latest.ContentHash == hash)
            {
                if (publish && !latest.IsPublished)
                {
                    latest.IsPublished = true;
                    await db.SaveChangesAsync(ct);
                }
                return new ImportResult(latest, false, report);
            }

            var version = (latest?.Version ?? 0) + 1;
            var stored = (JsonObject)raw.DeepClone();
            stored["version"] = version; // our version number is the truth, whatever the file said
            if (latest is not null) latest.IsLatest = false;
            var record = new DefinitionRecord
            {
                DefinitionId = definitionId,
                Version = version,
                Name = report.Definition.Name ?? definitionId,
                Description = report.Definition.Description,
                Json = stored.ToJsonString(),
                ContentHash = hash,
                IsPublished = publish,
                IsLatest = true,
                CreatedAt = time.GetUtcNow(),
                Source = source,
            };
            db.Definitions.Add(record);
            try
            {
                await db.SaveChangesAsync(ct);
                return new ImportResult(record, true, report);
            }
            catch (DbUpdateException) when (attempt < MaxImportAttempts)
            {
                // Another import (of this Host or another) took this version number first: look again.
            }
            catch (DbUpdateException)
            {
                throw Runtime.RuntimeException.Conflict($"其他人正在同时导入流程“{definitionId}”，请稍后重试 / Definition '{definitionId}' is being imported by others at the same time; try again.");
            }
        }
    }

    private const int MaxImportAttempts = 20;

    public async Task<DefinitionRecord?> PublishAsync(string definitionId, int version, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var record = await db.Definitions.SingleOrDefaultAsync(d => d.DefinitionId == definitionId && d.Version == version, ct);
        if (record is null) return null;
        record.IsPublished = true;
        await db.SaveChangesAsync(ct);
        return record;
    }

    /// <summary>The given version, or the latest published one when <paramref name="version"/> is null.</summary>
    public async Task<WorkflowDefinition?> GetAsync(string definitionId, int? version, CancellationToken ct = default)
    {
        if (version is { } v && _cache.TryGetValue((definitionId, v), out var cached)) return cached;
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (version is null)
        {
            // Which version is the latest published one can change at any time (in any Host), so it is asked every
            // time, but only its number: the parsed definition of that number is usually cached already.
            var latest = await db.Definitions.AsNoTracking().Where(d => d.DefinitionId == definitionId && d.IsPublished)
                .OrderByDescending(d => d.Version).Select(d => (int?)d.Version).FirstOrDefaultAsync(ct);
            if (latest is not { } l) return null;
            if (_cache.TryGetValue((definitionId, l), out var known)) return known;
            version = l;
        }
        var json = await db.Definitions.AsNoTracking().Where(d => d.DefinitionId == definitionId && d.Version == version)
            .Select(d => d.Json).FirstOrDefaultAsync(ct);
        return json is null ? null : _cache.GetOrAdd((definitionId, version.Value), _ => DefinitionReader.Parse(json));
    }

    /// <summary>Loads every *.json of a folder (not subfolders: calendars and templates live there).</summary>
    public async Task<IReadOnlyList<(string File, ImportResult Result)>> LoadFolderAsync(string folder, CancellationToken ct = default)
    {
        var results = new List<(string, ImportResult)>();
        if (!Directory.Exists(folder)) return results;
        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
            results.Add((file, await ImportAsync(await File.ReadAllTextAsync(file, ct), publish: true, DefinitionRecord.SourceFile, ct)));
        return results;
    }

    private static string Canonical(JsonObject raw)
    {
        var copy = (JsonObject)raw.DeepClone();
        copy.Remove("version"); // re-importing an exported version must not count as a change
        return copy.ToJsonString();
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

public sealed record ImportResult(DefinitionRecord? Record, bool Created, ValidationReport Report);
