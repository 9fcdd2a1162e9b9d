using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Workflows.Engine.Graph;
using Workflows.Host.Api;
using Workflows.Host.Features.Auth;
using Workflows.Host.Definitions;
using Workflows.Persistence;
using Workflows.Persistence.Entities;

namespace Workflows.Host.Features.Definitions;

public static class DefinitionsApi
{
    public static RouteGroupBuilder MapDefinitionsApi(this IEndpointRouteBuilder app)
    {
        // Anyone signed in reads definitions; Designer and BureauAdmin import, validate and publish them.
        var api = app.MapGroup("/api/definitions").WithTags("Definitions").RequireAuthorization(AuthPolicies.SignedIn);
        api.MapGet("/", ListAsync);
        api.MapPost("/", ImportAsync).RequireAuthorization(AuthPolicies.Designers)
            .WithSummary("导入流程定义 / Import a definition (a new version unless identical); its warnings are listed in \"warnings\"")
            .WithDescription(ProblemResults.ProblemsDescription);
        api.MapPost("/validate", ValidateAsync).RequireAuthorization(AuthPolicies.Designers)
            .WithSummary("校验流程定义 / Validate a definition: {succeeded, problems}")
            .WithDescription(ProblemResults.ProblemsDescription);
        api.MapGet("/{definitionId}", GetAsync);
        api.MapGet("/{definitionId}/versions", VersionsAsync);
        api.MapGet("/{definitionId}/versions/{version:int}", GetAsync);
        api.MapPost("/{definitionId}/versions/{version:int}/publish", PublishAsync).RequireAuthorization(AuthPolicies.Designers);
        api.MapGet("/{definitionId}/graph", GraphAsync);
        return api;
    }

    public sealed record DefinitionSummary(string DefinitionId, int Version, string Name, string? Description,
        bool IsPublished, bool IsLatest, DateTimeOffset CreatedAt, string Source);

    private static DefinitionSummary Summary(DefinitionRecord d) =>
        new(d.DefinitionId, d.Version, d.Name, d.Description, d.IsPublished, d.IsLatest, d.CreatedAt, d.Source);

    public static async Task<Ok<List<DefinitionSummary>>> ListAsync(WorkflowsDbContext db, CancellationToken ct) =>
        TypedResults.Ok((await db.Definitions.AsNoTracking().Where(d => d.IsLatest).OrderBy(d => d.DefinitionId).ToListAsync(ct))
            .Select(Summary).ToList());

    public static async Task<IResult> ImportAsync(HttpRequest request, DefinitionStore store, bool? publish, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body);
        var json = await reader.ReadToEndAsync(ct);
        if (string.IsNullOrWhiteSpace(json)) return ProblemResults.Validation("body", "请求内容须为流程定义（JSON） / The request body must be a workflow definition (JSON).");
        var result = await store.ImportAsync(json, publish ?? false, DefinitionRecord.SourceApi, ct);
        if (result.Record is null) return ProblemResults.Definition(result.Report);
        var body = new
        {
            definition = Summary(result.Record),
            created = result.Created,
            warnings = result.Report.Warnings.Select(ProblemResults.Shape).ToList(),
        };
        return result.Created
            ? TypedResults.Created($"/api/definitions/{result.Record.DefinitionId}/versions/{result.Record.Version}", body)
            : TypedResults.Ok(body);
    }

    public static async Task<IResult> ValidateAsync(HttpRequest request, DefinitionStore store, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body);
        var report = store.Validate(await reader.ReadToEndAsync(ct));
        return TypedResults.Ok(new { succeeded = report.Succeeded, problems = report.Problems.Select(ProblemResults.Shape).ToList() });
    }

    public static async Task<IResult> GetAsync(string definitionId, int? version, WorkflowsDbContext db, CancellationToken ct)
    {
        var query = db.Definitions.AsNoTracking().Where(d => d.DefinitionId == definitionId);
        var record = version is null
            ? await query.OrderByDescending(d => d.Version).FirstOrDefaultAsync(ct)
            : await query.SingleOrDefaultAsync(d => d.Version == version, ct);
        if (record is null) return NotFound(definitionId, version);
        return TypedResults.Text(record.Json, "application/json");
    }

    public static async Task<IResult> VersionsAsync(string definitionId, WorkflowsDbContext db, CancellationToken ct)
    {
        var versions = await db.Definitions.AsNoTracking().Where(d => d.DefinitionId == definitionId)
            .OrderByDescending(d => d.Version).ToListAsync(ct);
        return versions.Count == 0 ? NotFound(definitionId, null) : TypedResults.Ok(versions.Select(Summary).ToList());
    }

    public static async Task<IResult> PublishAsync(string definitionId, int version, DefinitionStore store, CancellationToken ct) =>
        await store.PublishAsync(definitionId, version, ct) is { } record ? TypedResults.Ok(Summary(record)) : NotFound(definitionId, version);

    public static async Task<IResult> GraphAsync(string definitionId, int? version, DefinitionStore store, WorkflowsDbContext db, CancellationToken ct)
    {
        version ??= await db.Definitions.Where(d => d.DefinitionId == definitionId).MaxAsync(d => (int?)d.Version, ct);
        var definition = version is null ? null : await store.GetAsync(definitionId, version, ct);
        return definition is null ? NotFound(definitionId, version) : TypedResults.Ok(new { definitionId, version, mermaid = MermaidExporter.Export(definition) });
    }

    private static IResult NotFound(string definitionId, int? version) => TypedResults.Problem(
        statusCode: 404, title: "未找到 / Not found",
        detail: version is null
            ? $"流程“{definitionId}”不存在 / Definition '{definitionId}' does not exist."
            : $"流程“{definitionId}”没有第 {version} 版 / Definition '{definitionId}' has no version {version}.");
}
