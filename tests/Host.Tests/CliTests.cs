using System.Text.Json.Nodes;
using Workflows.Host.Cli;
using Workflows.Host.Tests.Support;

namespace Workflows.Host.Tests;

/// <summary>Console.Out is global: the CLI tests run alone, after every parallel test.</summary>
[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;

/// <summary>The Host binary's commands (validate, run), called in-process with the console captured.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class CliTests
{
    private static string Definitions => Path.Combine(Paths.RepoRoot, "definitions");

    [Fact]
    public async Task Validate_accepts_every_file_in_the_definitions_folder()
    {
        var files = Directory.GetFiles(Definitions, "*.json");
        Assert.NotEmpty(files);

        var (code, output, error) = await RunAsync(["validate", .. files]);

        Assert.True(code == 0, output + error);
        foreach (var file in files) Assert.Contains($"{file}: ok", output);
    }

    [Fact]
    public async Task Validate_rejects_a_broken_file_with_one_line_per_problem()
    {
        var broken = Paths.TestWorkflow("broken.json");

        var (code, output, _) = await RunAsync(["validate", broken]);

        Assert.Equal(1, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.All(lines, l => Assert.StartsWith($"{broken}: ", l));
        Assert.DoesNotContain(lines, l => l.EndsWith(": ok", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("mystery") && l.Contains("Acme.DoesNotExist"));
        Assert.Contains(lines, l => l.Contains("bad-js"));
        Assert.Contains(lines, l => l.Contains("nowhere"));
        Assert.True(lines.Length >= 3, output);
    }

    [Fact]
    public async Task Validate_of_a_missing_file_fails()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.json");
        var (code, output, _) = await RunAsync(["validate", missing]);
        Assert.Equal(1, code);
        Assert.Contains("does not exist", output);
    }

    [Fact]
    public async Task Run_until_end_feeds_the_input_to_every_wait_and_prints_the_finished_result()
    {
        var (code, output, error) = await RunAsync(["run", Path.Combine(Definitions, "event-demo.json"), "--until-end", "--input", """{"a":1}"""]);

        Assert.True(code == 0, output + error);
        var result = (JsonObject)JsonNode.Parse(output)!;
        Assert.Equal("Finished", result["status"]!.ToString());
        Assert.Equal("Finished", result["subStatus"]!.ToString());
        var lines = result["writeLines"]!.AsArray().Select(l => l!.ToString()).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Contains("""{"a":1}""", lines[1]);
        Assert.Equal(1, (int)result["variables"]!["Decision"]!["a"]!);
        Assert.Empty(result["blocked"]!.AsArray());
        Assert.Empty(result["incidents"]!.AsArray());
    }

    [Fact]
    public async Task Run_without_until_end_stops_at_the_event_and_shows_it_as_blocked()
    {
        var (code, output, error) = await RunAsync(["run", Path.Combine(Definitions, "event-demo.json")]);

        Assert.True(code == 0, output + error);
        var result = (JsonObject)JsonNode.Parse(output)!;
        Assert.Equal("Running", result["status"]!.ToString());
        Assert.Equal("Suspended", result["subStatus"]!.ToString());
        var blocked = (JsonObject)Assert.Single(result["blocked"]!.AsArray())!;
        Assert.Equal("wait", blocked["activityId"]!.ToString());
        Assert.Equal("Elsa.Event", blocked["kind"]!.ToString());
        Assert.Equal("approved", blocked["stimulus"]!.ToString());
        Assert.Single(result["writeLines"]!.AsArray());
    }

    [Fact]
    public async Task Run_with_an_input_that_is_not_an_object_is_a_usage_error()
    {
        var (code, _, error) = await RunAsync(["run", Path.Combine(Definitions, "event-demo.json"), "--input", "[1]"]);
        Assert.Equal(2, code);
        Assert.Contains("--input", error);
    }

    [Fact]
    public async Task Run_of_a_broken_file_prints_its_problems_and_fails()
    {
        var broken = Paths.TestWorkflow("broken.json");
        var (code, output, _) = await RunAsync(["run", broken]);
        Assert.Equal(1, code);
        Assert.Contains(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith($"{broken}: ") && l.Contains("mystery"));
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args)
    {
        var (oldOut, oldError) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var code = await Commands.RunAsync(args);
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }
}
