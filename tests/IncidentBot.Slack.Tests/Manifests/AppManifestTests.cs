using System.Globalization;
using System.Text.Json.Nodes;
using IncidentBot.Slack.Tests.Support;
using Json.Schema;
using YamlDotNet.RepresentationModel;

namespace IncidentBot.Slack.Tests.Manifests;

/// <summary>The app manifests validate against Slack's own manifest JSON Schema (tests/specs/slack/manifest-schema).</summary>
public sealed class AppManifestTests
{
    private const string SchemaBase = "https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/";

    [Theory]
    [InlineData("app-manifest.yaml", false)]
    [InlineData("app-manifest.socket-mode.yaml", true)]
    public void TheManifestIsValidAgainstSlacksSchema(string file, bool socketMode)
    {
        var manifest = Yaml(Path.Combine(Paths.RepoRoot, "manifests", "slack", file));

        var result = Schema().Evaluate(manifest, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(result.IsValid, string.Join("\n", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
        Assert.Equal(socketMode, (bool?)manifest["settings"]!["socket_mode_enabled"]);
        Assert.Equal("/incident", (string?)manifest["features"]!["slash_commands"]![0]!["command"]);
        Assert.Equal(!socketMode, manifest.ToJsonString().Contains("request_url", StringComparison.Ordinal));
    }

    [Fact]
    public void TheSchemaRejectsABrokenManifest()
    {
        var manifest = Yaml(Path.Combine(Paths.RepoRoot, "manifests", "slack", "app-manifest.yaml"));
        manifest["display_information"]!["name"] = new string('x', 60); // names are at most 35 characters

        Assert.False(Schema().Evaluate(manifest).IsValid);
    }

    private static readonly Lazy<JsonSchema> Loaded = new(Load);

    private static JsonSchema Schema() => Loaded.Value;

    private static JsonSchema Load()
    {
        var dir = Path.Combine(Paths.SlackSpecs, "manifest-schema");
        foreach (var version in new[] { "1.0.0", "2.0.0" })
        {
            var uri = new Uri($"{SchemaBase}manifest.schema.{version}.json");
            // The root schema refers to these by their published URL; register the local copies under it (no network).
            SchemaRegistry.Global.Register(uri, JsonSchema.FromFile(Path.Combine(dir, "schemas", $"manifest.schema.{version}.json")));
        }

        return JsonSchema.FromFile(Path.Combine(dir, "manifest.schema.json"));
    }

    /// <summary>YAML to JSON, typing plain scalars as YAML 1.2 core does (booleans, integers, null) and quoted ones as strings.</summary>
    private static JsonNode Yaml(string path)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            stream.Load(reader);
        }

        return Convert(stream.Documents[0].RootNode)!;
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, Convert(kv.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(Convert).ToArray()),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar => scalar.Value switch
        {
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            "null" or "~" or "" => null,
            var v when long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
            var v => JsonValue.Create(v),
        },
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => null,
    };
}
