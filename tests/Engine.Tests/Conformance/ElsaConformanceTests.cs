using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Engine.Activities;
using Workflows.Engine.Definitions;
using Workflows.Engine.Execution;
using Workflows.Engine.Validation;

namespace Workflows.Engine.Tests.Conformance;

/// <summary>Elsa 3's own test workflows, run by our engine, compared with what Elsa's tests expect (../shared/elsa-conformance).</summary>
public sealed class ElsaConformanceTests
{
    private static string Corpus => Path.Combine(TestPaths.Shared, "elsa-conformance");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var entry in Manifest().Where(e => e["file"] is not null))
            data.Add(entry["file"]!.ToString());
        return data;
    }

    [Fact]
    public void The_manifest_has_every_included_case()
    {
        Assert.Equal(30, Manifest().Count(e => e["file"] is not null));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Case_behaves_as_in_Elsa(string file)
    {
        var entry = Manifest().Single(e => e["file"]?.ToString() == file);
        var json = await File.ReadAllTextAsync(Path.Combine(Corpus, file), TestContext.Current.CancellationToken);
        var expect = entry["expect"] as JsonObject;
        var driver = entry["run"]?["driver"]?.ToString() ?? "runUntilEnd";
        var registry = ActivityRegistry.CreateDefault();

        if (driver == "publishOnly")
        {
            var report = DefinitionValidator.Validate(json, registry);
            var expected = expect!["validation"]!;
            Assert.Equal((bool)expected["succeeded"]!, report.Succeeded);
            Assert.Equal((int)expected["errorCount"]!, report.Errors.Count());
            if (expected["messageStartsWith"]?.ToString() is { } prefix)
                Assert.StartsWith(prefix, report.Errors.First().Message);
            return;
        }

        var definition = DefinitionReader.Parse(json);
        var engine = new WorkflowEngine(registry, new WorkflowEngineOptions(), TimeProvider.System);
        var (state, lines) = await ConformanceDriver.RunAsync(engine, definition, driver);

        if (expect is null)
        {
            // No assertion in Elsa's test; it still has to run without a fault.
            Assert.NotEqual(WorkflowSubStatus.Faulted, state.SubStatus);
            return;
        }
        if (expect["status"] is { } status) Assert.Equal(status.ToString(), state.Status.ToString());
        if (expect["subStatus"] is { } subStatus) Assert.Equal(subStatus.ToString(), state.SubStatus.ToString());
        if (expect["writeLines"] is JsonArray expectedLines) Assert.Equal(expectedLines.Select(l => l!.ToString()), lines);
        if (expect["activityCompletedCount"] is JsonObject counts)
            foreach (var (activityId, count) in counts)
                Assert.Equal((int)count!, state.CompletedCounts.GetValueOrDefault(activityId));
        if (expect["stateRoundTrip"] is { } roundTrip && (bool)roundTrip)
        {
            var once = state.ToJson();
            Assert.Equal(once, WorkflowState.FromJson(once).ToJson());
        }
    }

    private static List<JsonObject> Manifest() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Corpus, "manifest.json")))!.AsArray().OfType<JsonObject>().ToList();
}
