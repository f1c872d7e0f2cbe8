using System.Text.Json.Nodes;

namespace IncidentBot.Slack.Tests.Support;

/// <summary>One Web API method as slack-api-ref describes it: verb, whether it takes JSON, its required arguments.</summary>
public sealed record SlackMethodSpec(string Name, string HttpMethod, bool JsonInput, IReadOnlyList<string> Required);

/// <summary>
/// Loads tests/specs/slack/slack-api-ref/docs.slack.dev/methods/*.json, and for methods missing there the older
/// slack-api-ref/methods/&lt;family&gt;/&lt;name&gt;.json. Verbs and arguments come from the files; nothing about them is hard-coded.
/// </summary>
public static class SlackMethodSpecs
{
    /// <summary>
    /// The older format says nothing about verbs or body formats. Such a method is taken as POST with a form body only,
    /// unless it is listed here because Slack's own method page lists application/json among its content types.
    /// conversations.open: docs.slack.dev/reference/methods/conversations.open, "Facts": application/x-www-form-urlencoded, application/json.
    /// </summary>
    private static readonly HashSet<string> LegacyMethodsTakingJson = new(StringComparer.Ordinal) { "conversations.open" };

    private static readonly Lazy<IReadOnlyDictionary<string, SlackMethodSpec>> Loaded = new(Load);

    public static IReadOnlyDictionary<string, SlackMethodSpec> All => Loaded.Value;

    private static IReadOnlyDictionary<string, SlackMethodSpec> Load()
    {
        var reference = Path.Combine(Paths.SlackSpecs, "slack-api-ref");
        var specs = Directory.GetFiles(Path.Combine(reference, "docs.slack.dev", "methods"), "*.json")
            .Select(Current)
            .ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(Path.Combine(reference, "methods"), "*.json", SearchOption.AllDirectories))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            specs.TryAdd(name, Legacy(name, file));
        }

        return specs;
    }

    /// <summary>docs.slack.dev format: http_method, json_input_supported, args as a JSON schema with a required list.</summary>
    private static SlackMethodSpec Current(string file)
    {
        var json = JsonNode.Parse(File.ReadAllText(file))!;
        var required = json["args"]?["required"]?.AsArray().Select(n => (string)n!).Where(a => a != "token").ToList() ?? [];
        return new SlackMethodSpec(
            Path.GetFileNameWithoutExtension(file),
            (string?)json["http_method"] ?? "POST",
            (bool?)json["json_input_supported"] == true,
            required);
    }

    /// <summary>The older api.slack.com format: args as { name: { required: bool, ... } }, no verb, no body formats.</summary>
    private static SlackMethodSpec Legacy(string name, string file)
    {
        var json = JsonNode.Parse(File.ReadAllText(file))!;
        var required = (json["args"] as JsonObject ?? [])
            .Where(a => a.Key != "token" && (bool?)a.Value?["required"] == true)
            .Select(a => a.Key)
            .ToList();
        return new SlackMethodSpec(name, "POST", LegacyMethodsTakingJson.Contains(name), required);
    }
}
