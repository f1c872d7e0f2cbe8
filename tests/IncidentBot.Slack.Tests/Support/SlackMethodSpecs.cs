using System.Text.Json.Nodes;

namespace IncidentBot.Slack.Tests.Support;

/// <summary>One Web API method as slack-api-ref describes it: verb, whether it takes JSON, its required arguments.</summary>
public sealed record SlackMethodSpec(string Name, string HttpMethod, bool JsonInput, IReadOnlyList<string> Required);

/// <summary>Loads shared/specs/slack/slack-api-ref/docs.slack.dev/methods/*.json; nothing here is hard-coded.</summary>
public static class SlackMethodSpecs
{
    private static readonly Lazy<IReadOnlyDictionary<string, SlackMethodSpec>> Loaded = new(Load);

    public static IReadOnlyDictionary<string, SlackMethodSpec> All => Loaded.Value;

    private static IReadOnlyDictionary<string, SlackMethodSpec> Load()
    {
        var dir = Path.Combine(Paths.SlackSpecs, "slack-api-ref", "docs.slack.dev", "methods");
        return Directory.GetFiles(dir, "*.json").Select(file =>
        {
            var json = JsonNode.Parse(File.ReadAllText(file))!;
            var required = json["args"]?["required"]?.AsArray().Select(n => (string)n!).Where(a => a != "token").ToList() ?? [];
            return new SlackMethodSpec(
                Path.GetFileNameWithoutExtension(file),
                (string?)json["http_method"] ?? "POST",
                (bool?)json["json_input_supported"] == true,
                required);
        }).ToDictionary(s => s.Name, StringComparer.Ordinal);
    }
}
