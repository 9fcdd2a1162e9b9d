using System.Text.Json.Nodes;
using Workflows.Engine.Definitions;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests.Definitions;

/// <summary>Reading and writing a definition keeps whatever the engine does not interpret.</summary>
public sealed class RoundTripTests
{
    // An Elsa 3 export with what a designer adds: positions, sizes, custom properties, inputs we do not know.
    private const string Exported = """
    {
      "$schema": "https://elsaworkflows.io/schemas/workflow-definition/v3.0.0/schema.json",
      "id": "def-1-v3", "definitionId": "def-1", "name": "Approval", "version": 3, "toolVersion": "3.6.0.0",
      "variables": [{ "id": "v1", "name": "Decision", "typeName": "String", "isArray": false, "value": "none",
                      "storageDriverTypeName": "Elsa.Workflows.Services.WorkflowStorageDriver, Elsa.Workflows.Core" }],
      "options": { "autoUpdateConsumingWorkflows": false },
      "root": {
        "id": "root", "type": "Elsa.Flowchart", "version": 1, "nodeId": "Workflow1:root",
        "customProperties": { "notFoundConnections": [], "canStartWorkflow": false },
        "metadata": {},
        "activities": [
          { "id": "start", "type": "Elsa.Start", "version": 1,
            "metadata": { "designer": { "position": { "x": -485.5, "y": -255.5 }, "size": { "width": 122.6, "height": 67.9 } } } },
          { "id": "ask", "type": "Elsa.Event", "version": 1, "name": "Ask",
            "eventName": { "typeName": "String", "expression": { "type": "Literal", "value": "Decided" }, "memoryReference": { "id": "ask:input-1" } },
            "result": { "typeName": "Object", "memoryReference": { "id": "v1" } },
            "retryPolicy": { "attempts": 3, "backoff": "PT1M", "future": [1, "two", null] },
            "customProperties": { "mergeMode": "Stream", "reviewedBy": "Grüße – “Ann”" },
            "metadata": { "designer": { "position": { "x": 10, "y": 20 } }, "displayText": "Ask the manager" } },
          { "id": "say", "type": "Elsa.WriteLine", "version": 1, "source": null, "line": null,
            "text": { "typeName": "String", "expression": { "type": "Liquid", "value": "Decision: {{ Variables.Decision }}" } },
            "metadata": { "designer": { "position": { "x": 300, "y": 20 } } } }
        ],
        "connections": [
          { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "ask", "port": "In" }, "vertices": [] },
          { "source": { "activity": "ask", "port": "Done" }, "target": { "activity": "say", "port": "In" }, "vertices": [{ "x": 1, "y": 2 }] }
        ]
      }
    }
    """;

    [Fact]
    public void Read_then_ToJson_gives_back_the_same_document()
    {
        var definition = DefinitionReader.Parse(Exported);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Exported), JsonNode.Parse(definition.ToJson())));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Exported), JsonNode.Parse(definition.ToJson(indented: false))));
    }

    [Fact]
    public void Reading_interprets_ids_types_variables_and_merge_modes()
    {
        var definition = DefinitionReader.Parse(Exported);

        Assert.Equal("def-1", definition.DefinitionId);
        Assert.Equal(3, definition.Version);
        Assert.Equal(["root", "start", "ask", "say"], definition.AllActivities.Select(a => a.Id));
        Assert.Equal("Ask", definition.Find("ask")!.DisplayName);
        Assert.Equal("Stream", definition.Find("ask")!.MergeMode);
        var variable = Assert.Single(definition.Variables);
        Assert.Equal(("v1", "Decision", "String"), (variable.Id, variable.Name, variable.TypeName));
    }

    [Fact]
    public async Task Running_a_definition_leaves_it_unchanged()
    {
        var definition = DefinitionReader.Parse(Exported);
        var run = new Runner(definition);
        await run.StartAsync();
        await run.ResumeAsync("ask", "approved");

        Assert.Equal(["Decision: approved"], run.Lines);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Exported), JsonNode.Parse(definition.ToJson())));
    }

    [Fact]
    public async Task Both_connection_shapes_are_read_as_the_same_connections()
    {
        var modern = new Flow()
            .Add(A.Start(), A.Decision("d", "true"), A.WriteLine("yes", "yes"), A.WriteLine("no", "no"))
            .Connect("start", "d").Connect("d", "yes", "True").Connect("d", "no", "False");
        var legacyDocument = modern.Document();
        legacyDocument["root"]!["connections"] = JsonNode.Parse("""
            [ { "source": "start", "target": "d", "sourcePort": "Done", "targetPort": "In" },
              { "source": "d", "target": "yes", "sourcePort": "True", "targetPort": "In" },
              { "source": "d", "target": "no", "sourcePort": "False" } ]
            """);
        var legacy = DefinitionReader.Parse(legacyDocument.ToJsonString());

        Assert.Equal(modern.Definition().Root.Connections, legacy.Root.Connections);
        Assert.Equal(new Connection("d", "True", "yes", "In"), legacy.Root.Connections[1]);
        var run = new Runner(legacy);
        await run.StartAsync();
        Assert.Equal(["yes"], run.Lines);
    }

    [Fact]
    public async Task A_legacy_start_property_chooses_the_start_activity()
    {
        var document = new Flow().Add(A.WriteLine("a", "a"), A.WriteLine("b", "b")).Chain("a", "b").Document();
        document["root"]!["start"] = "b";
        var run = new Runner(DefinitionReader.Parse(document.ToJsonString()));

        await run.StartAsync();

        Assert.Equal(["b"], run.Lines);
    }

    [Fact]
    public void A_byte_order_mark_and_comments_are_accepted()
    {
        var json = "\uFEFF// exported\n" + new Flow().Add(A.WriteLine("a", "a")).Json();

        Assert.Equal("a", DefinitionReader.Parse(json).Find("a")!.Id);
    }
}
