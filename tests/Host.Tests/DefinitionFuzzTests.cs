using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Workflows.Host.Tests.Support;

namespace Workflows.Host.Tests;

/// <summary>
/// POST /api/definitions with randomly broken copies of valid definitions: the API answers 200, 201 or a
/// 400 ProblemDetails, never a 500. About the API, not the database, so on SQLite only.
/// </summary>
public sealed class DefinitionFuzzTests : HostTestBase
{
    private const int Cases = 1000;
    private const int Seed = 20260302;
    private readonly SqliteDatabases _databases = new();

    protected override Task<TestDatabase> NewDatabaseAsync() => Task.FromResult(_databases.Create());
    protected override void Cleanup() => _databases.Dispose();

    [Fact]
    public async Task A_thousand_randomly_mutated_definitions_never_cause_a_server_error()
    {
        var host = await StartHostAsync();
        var client = host.Client;
        var seeds = new[] { "event-wait.json", "delay-counter.json" }.Select(f => File.ReadAllText(Paths.TestWorkflow(f)))
            .Append(File.ReadAllText(Path.Combine(Paths.RepoRoot, "definitions", "event-demo.json"))).ToArray();
        var random = new Random(Seed);
        var counts = new Dictionary<HttpStatusCode, int>();
        var failures = new List<string>();

        for (var i = 0; i < Cases; i++)
        {
            var body = seeds[random.Next(seeds.Length)];
            var mutations = new List<string>();
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                var (name, next) = Mutator.Apply(random, body);
                mutations.Add(name);
                body = next;
            }
            using var response = await client.PostAsync("/api/definitions?publish=true", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
            counts[response.StatusCode] = counts.GetValueOrDefault(response.StatusCode) + 1;
            var text = await response.Content.ReadAsStringAsync(Ct);
            var ok = response.StatusCode switch
            {
                HttpStatusCode.OK or HttpStatusCode.Created => true,
                HttpStatusCode.BadRequest => response.Content.Headers.ContentType?.MediaType == "application/problem+json",
                _ => false,
            };
            if (!ok && failures.Count < 10)
                failures.Add($"case {i} [{string.Join(", ", mutations)}] → {(int)response.StatusCode}: {Cut(text, 400)}{Environment.NewLine}  body: {Cut(body, 600)}");
        }

        Assert.True(failures.Count == 0, $"seed {Seed}:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}{Environment.NewLine}{string.Join(Environment.NewLine, host.Log.Take(20))}");
        // The mutations both kept some definitions valid and broke others.
        Assert.True(counts.GetValueOrDefault(HttpStatusCode.BadRequest) > 100, Describe(counts));
        Assert.True(counts.GetValueOrDefault(HttpStatusCode.Created) > 20, Describe(counts));
        // Every 201 stored exactly one version, and nothing else was stored.
        await using (var db = host.OpenDb())
            Assert.Equal(counts.GetValueOrDefault(HttpStatusCode.Created), await db.Definitions.CountAsync(Ct));
        await client.GetAsync("/health/ready", Ct).Expect(HttpStatusCode.OK);
    }

    private static string Describe(Dictionary<HttpStatusCode, int> counts) =>
        string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{(int)c.Key}×{c.Value}"));

    private static string Cut(string s, int max) => s.Length <= max ? s : s[..max] + $"… ({s.Length} chars)";

    /// <summary>One random change of a definition's text or structure.</summary>
    private static class Mutator
    {
        private static readonly string[] Junk = ["{", "}", "[", "]", "\"", ":", ",", "\\", "\0", "\u2028", "😀", "null", "-", "e", "\uFFFF", "/*"];
        private static readonly string[] BadScripts =
            ["1 +* (", "function(", "}{", "`unterminated", "getCounter(", "return;;;)", "new Array(-1)", "\"\\u12\"", "let let = 1", "/[/"];

        public static (string Name, string Body) Apply(Random random, string body)
        {
            var kind = random.Next(14);
            if (kind >= 5 && ParseOrNull(body) is JsonObject root)
                return Structural(random, root, kind);
            return Textual(random, body, kind % 5);
        }

        private static (string, string) Textual(Random random, string body, int kind)
        {
            if (body.Length == 0) return ("insert", Junk[random.Next(Junk.Length)]);
            var at = random.Next(body.Length);
            var length = Math.Min(body.Length - at, random.Next(1, 12));
            switch (kind)
            {
                case 0:
                    return ("delete characters", body.Remove(at, length));
                case 1:
                    return ("duplicate characters", body.Insert(at, body.Substring(at, length)));
                case 2:
                {
                    var chars = body.Substring(at, length).ToCharArray();
                    random.Shuffle(chars);
                    return ("shuffle characters", body[..at] + new string(chars) + body[(at + length)..]);
                }
                case 3:
                    return ("truncate", body[..at]);
                default:
                    return ("insert junk", body.Insert(at, Junk[random.Next(Junk.Length)]));
            }
        }

        private static (string, string) Structural(Random random, JsonObject root, int kind)
        {
            if (kind == 10) return random.Next(2) == 0 ? DeeplyNestedArrays(random, root) : DeepNesting(random, root);
            var name = kind switch
            {
                5 => DropProperty(random, root),
                6 => ChangeType(random, root),
                7 => UnknownActivityType(random, root),
                8 => DanglingConnection(random, root),
                9 => Huge(random, root),
                11 => InvalidScript(random, root),
                12 => DuplicateActivity(random, root),
                _ => ChangeIdentity(random, root),
            };
            return (name, root.ToJsonString());
        }

        private static JsonNode? ParseOrNull(string body)
        {
            try { return JsonNode.Parse(body); }
            catch (System.Text.Json.JsonException) { return null; }
        }

        /// <summary>Every object in the tree (the root too), in document order.</summary>
        private static List<JsonObject> Objects(JsonNode root)
        {
            var found = new List<JsonObject>();
            void Walk(JsonNode? node)
            {
                switch (node)
                {
                    case JsonObject o:
                        found.Add(o);
                        foreach (var (_, v) in o.ToList()) Walk(v);
                        break;
                    case JsonArray a:
                        foreach (var v in a.ToList()) Walk(v);
                        break;
                }
            }
            Walk(root);
            return found;
        }

        private static List<JsonObject> Activities(JsonObject root) =>
            Objects(root).Where(o => o["type"] is JsonValue v && v.TryGetValue<string>(out var t) && t.Contains('.')).ToList();

        private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

        private static string DropProperty(Random random, JsonObject root)
        {
            var candidates = Objects(root).Where(o => o.Count > 0).ToList();
            var target = Pick(random, candidates);
            var key = Pick(random, target.Select(p => p.Key).ToList());
            target.Remove(key);
            return $"drop '{key}'";
        }

        private static JsonNode? RandomValue(Random random) => random.Next(10) switch
        {
            0 => 42,
            1 => -1.5e300,
            2 => "text",
            3 => true,
            4 => null,
            5 => new JsonArray(),
            6 => new JsonObject(),
            7 => new JsonArray(1, "two", null, new JsonObject { ["type"] = "Elsa.WriteLine" }),
            8 => new JsonObject { ["id"] = "x", ["type"] = 7 },
            _ => long.MaxValue,
        };

        private static string ChangeType(Random random, JsonObject root)
        {
            var candidates = Objects(root).Where(o => o.Count > 0).ToList();
            var target = Pick(random, candidates);
            var key = Pick(random, target.Select(p => p.Key).ToList());
            target[key] = RandomValue(random);
            return $"change type of '{key}'";
        }

        private static string UnknownActivityType(Random random, JsonObject root)
        {
            var activities = Activities(root);
            if (activities.Count == 0) return "no activity to change";
            Pick(random, activities)["type"] = random.Next(3) switch
            {
                0 => $"Acme.Unknown{random.Next(1000)}",
                1 => "Elsa.",
                _ => "Elsa.WriteLine.Extra",
            };
            return "unknown activity type";
        }

        private static string DanglingConnection(Random random, JsonObject root)
        {
            if (root["root"]?["connections"] is not JsonArray connections) return "no connections";
            var ghost = random.Next(2) == 0 ? "ghost" : "";
            if (connections.Count > 0 && random.Next(2) == 0 && connections[random.Next(connections.Count)] is JsonObject c)
                c[random.Next(2) == 0 ? "source" : "target"] = new JsonObject { ["activity"] = ghost, ["port"] = "Done" };
            else
                connections.Add(new JsonObject
                {
                    ["source"] = new JsonObject { ["activity"] = "start", ["port"] = random.Next(2) == 0 ? "Done" : "NoSuchPort" },
                    ["target"] = new JsonObject { ["activity"] = ghost, ["port"] = "In" },
                });
            return "dangling connection";
        }

        private static string Huge(Random random, JsonObject root)
        {
            switch (random.Next(3))
            {
                case 0:
                    root["name"] = new string('x', 300_000);
                    return "huge name";
                case 1:
                    if (root["root"]?["activities"] is not JsonArray activities) return "no activities";
                    for (var i = 0; i < 1000; i++)
                        activities.Add(new JsonObject
                        {
                            ["id"] = $"bulk{i}", ["type"] = "Elsa.WriteLine",
                            ["text"] = new JsonObject { ["typeName"] = "String", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = "hi" } },
                        });
                    return "1000 activities";
                default:
                    var big = new JsonArray();
                    for (var i = 0; i < 20_000; i++) big.Add(i);
                    root["metadata"] = new JsonObject { ["big"] = big };
                    return "huge array";
            }
        }

        /// <summary>Flowcharts inside flowcharts, written as text (deep ones are deeper than the JSON reader allows).</summary>
        private static (string, string) DeepNesting(Random random, JsonObject root)
        {
            var depth = random.Next(2) == 0 ? random.Next(2, 20) : random.Next(20, 3000);
            (root["root"]?["activities"] as JsonArray)?.Add("NESTED_FLOW");
            var nested = new StringBuilder();
            for (var i = 0; i < depth; i++) nested.Append($$"""{"id":"nest{{i}}","type":"Elsa.Flowchart","connections":[],"activities":[""");
            nested.Append("""{"id":"leaf","type":"Elsa.WriteLine"}""");
            for (var i = 0; i < depth; i++) nested.Append("]}");
            return ($"{depth} nested flowcharts", root.ToJsonString().Replace("\"NESTED_FLOW\"", nested.ToString(), StringComparison.Ordinal));
        }

        /// <summary>Plain nested arrays, written as text (JsonNode would not write them that deep).</summary>
        private static (string, string) DeeplyNestedArrays(Random random, JsonObject root)
        {
            var depth = random.Next(2) == 0 ? random.Next(10, 64) : random.Next(64, 100_000);
            root["customProperties"] = "NESTED";
            var text = root.ToJsonString().Replace("\"NESTED\"", new string('[', depth) + new string(']', depth), StringComparison.Ordinal);
            return ($"{depth} nested arrays", text);
        }

        private static string InvalidScript(Random random, JsonObject root)
        {
            var expressions = Objects(root).Where(o => o["type"] is JsonValue && o.ContainsKey("value") && o.Parent is JsonObject).ToList();
            if (expressions.Count == 0) return "no expression";
            var expression = Pick(random, expressions);
            expression["type"] = random.Next(4) == 0 ? "Liquid" : "JavaScript";
            expression["value"] = expression["type"]!.ToString() == "Liquid" ? "{{ unclosed" : Pick(random, BadScripts);
            return $"invalid {expression["type"]}";
        }

        private static string DuplicateActivity(Random random, JsonObject root)
        {
            if (root["root"]?["activities"] is not JsonArray { Count: > 0 } activities) return "no activities";
            activities.Add(activities[random.Next(activities.Count)]!.DeepClone());
            return "duplicate activity";
        }

        private static string ChangeIdentity(Random random, JsonObject root)
        {
            root["definitionId"] = random.Next(6) switch
            {
                0 => "",
                1 => "   ",
                2 => new string('d', 5000),
                3 => "../../etc/passwd",
                4 => "流程-" + random.Next(100),
                _ => JsonValue.Create(random.Next()),
            };
            return "change definitionId";
        }
    }
}
