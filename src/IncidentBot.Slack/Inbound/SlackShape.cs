using System.Text.Json;
using System.Text.Json.Nodes;

namespace IncidentBot.Slack.Inbound;

/// <summary>
/// Checks the JSON types of every field IncidentBot reads from a Slack payload, before a handler sees it: a signed
/// payload with <c>{"type":1}</c> or a numeric button value is answered with a sentence naming the field (HTTP 400, or a
/// logged Socket Mode acknowledgement), never an exception. Fields we don't read may hold anything; null is always allowed.
/// </summary>
public static class SlackShape
{
    // Paths: '.' between names, "[]" for every element of an array, '*' for every property of an object.
    private static readonly (string Path, JsonValueKind Kind)[] Common =
    [
        ("type", JsonValueKind.String),
        ("token", JsonValueKind.String),
        ("team_id", JsonValueKind.String),
        ("api_app_id", JsonValueKind.String),
    ];

    private static readonly (string Path, JsonValueKind Kind)[] SlashCommand =
    [
        ("command", JsonValueKind.String),
        ("text", JsonValueKind.String),
        ("user_id", JsonValueKind.String),
        ("user_name", JsonValueKind.String),
        ("channel_id", JsonValueKind.String),
        ("channel_name", JsonValueKind.String),
        ("response_url", JsonValueKind.String),
        ("trigger_id", JsonValueKind.String),
    ];

    private static readonly (string Path, JsonValueKind Kind)[] Interaction =
    [
        ("user", JsonValueKind.Object),
        ("user.id", JsonValueKind.String),
        ("user.name", JsonValueKind.String),
        ("user.username", JsonValueKind.String),
        ("channel", JsonValueKind.Object),
        ("channel.id", JsonValueKind.String),
        ("container", JsonValueKind.Object),
        ("container.channel_id", JsonValueKind.String),
        ("container.message_ts", JsonValueKind.String),
        ("message", JsonValueKind.Object),
        ("message.ts", JsonValueKind.String),
        ("message.blocks", JsonValueKind.Array),
        ("message.blocks[]", JsonValueKind.Object),
        ("message.blocks[].type", JsonValueKind.String),
        ("message.blocks[].block_id", JsonValueKind.String),
        ("actions", JsonValueKind.Array),
        ("actions[]", JsonValueKind.Object),
        ("actions[].action_id", JsonValueKind.String),
        ("actions[].value", JsonValueKind.String),
        ("actions[].text", JsonValueKind.Object),
        ("actions[].text.text", JsonValueKind.String),
        ("response_url", JsonValueKind.String),
        ("trigger_id", JsonValueKind.String),
        ("view", JsonValueKind.Object),
        ("view.callback_id", JsonValueKind.String),
        ("view.private_metadata", JsonValueKind.String),
        ("view.state", JsonValueKind.Object),
        ("view.state.values", JsonValueKind.Object),
        ("view.state.values.*", JsonValueKind.Object),
        ("view.state.values.*.*", JsonValueKind.Object),
        ("view.state.values.*.*.value", JsonValueKind.String),
        ("response_urls", JsonValueKind.Array),
        ("response_urls[]", JsonValueKind.Object),
        ("response_urls[].response_url", JsonValueKind.String),
    ];

    // What the Skip modal keeps in its private_metadata (our own JSON, but it comes back through Slack).
    private static readonly (string Path, JsonValueKind Kind)[] SkipMetadata =
    [
        ("action", JsonValueKind.String),
        ("channel", JsonValueKind.String),
        ("ts", JsonValueKind.String),
        ("label", JsonValueKind.String),
        ("card", JsonValueKind.Array),
        ("card[]", JsonValueKind.Object),
        ("card[].type", JsonValueKind.String),
        ("card[].block_id", JsonValueKind.String),
    ];

    private static readonly (string Path, JsonValueKind Kind)[] Event =
    [
        ("event_id", JsonValueKind.String),
        ("event", JsonValueKind.Object),
        ("event.type", JsonValueKind.String),
        ("event.subtype", JsonValueKind.String),
        ("event.channel", JsonValueKind.String),
        ("event.user", JsonValueKind.String),
        ("event.ts", JsonValueKind.String),
        ("event.text", JsonValueKind.String),
        ("event.deleted_ts", JsonValueKind.String),
        ("event.message", JsonValueKind.Object),
        ("event.message.ts", JsonValueKind.String),
        ("event.message.text", JsonValueKind.String),
        ("event.message.user", JsonValueKind.String),
        ("event.previous_message", JsonValueKind.Object),
        ("event.previous_message.ts", JsonValueKind.String),
        ("event.previous_message.text", JsonValueKind.String),
    ];

    /// <summary>Null when every field read from <paramref name="inbound"/> has its JSON type, else a sentence naming the first that doesn't.</summary>
    public static string? Problem(SlackInbound inbound)
    {
        var rules = inbound.Type switch
        {
            SlackInbound.SlashCommands => SlashCommand,
            SlackInbound.Interactive => Interaction,
            SlackInbound.EventsApi => Event,
            _ => [],
        };
        if ((Problem(inbound.Payload, Common, "") ?? Problem(inbound.Payload, rules, "")) is { } problem)
        {
            return problem;
        }

        // Someone without an id is nobody: a command or a press must say who (Slack always does).
        var who = inbound.Type switch
        {
            SlackInbound.SlashCommands => ("user_id", inbound.Payload["user_id"]),
            SlackInbound.Interactive => ("user.id", inbound.Payload["user"]?["id"]),
            _ => ("", null),
        };
        if (who.Item1.Length > 0 && string.IsNullOrWhiteSpace((string?)who.Item2))
        {
            return $"Field {who.Item1} is missing or empty: a command or a press must say who sent it.";
        }

        if (inbound.Payload["view"] is JsonObject view && view["private_metadata"] is JsonValue meta
            && meta.GetValueKind() == JsonValueKind.String && Metadata(meta.GetValue<string>()) is { } metadata)
        {
            return Problem(metadata, SkipMetadata, "view.private_metadata:");
        }

        return null;
    }

    /// <summary>Null when every path in <paramref name="rules"/> that is present in <paramref name="json"/> has its kind (or is null).</summary>
    public static string? Problem(JsonObject json, IEnumerable<(string Path, JsonValueKind Kind)> rules, string prefix)
    {
        // The path walked so far, pushed and popped: the field's name is written out only for a problem.
        var path = new List<string>(8);
        foreach (var (rule, kind) in rules)
        {
            if (Check(json, Segments.GetOrAdd(rule, r => r.Split('.')), 0, kind, path) is { } problem)
            {
                return $"Field {prefix}{string.Concat(path)} must be {Name(kind)}, not {problem}.";
            }
        }

        return null;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string[]> Segments = new(StringComparer.Ordinal);

    /// <summary>Null when every node at <paramref name="segments"/> from <paramref name="index"/> has <paramref name="kind"/>; else the wrong kind's name, <paramref name="path"/> then leading to it.</summary>
    private static string? Check(JsonNode node, string[] segments, int index, JsonValueKind kind, List<string> path)
    {
        if (index == segments.Length)
        {
            var actual = node.GetValueKind();
            return actual != kind && actual != JsonValueKind.Null && !(kind == JsonValueKind.True && actual == JsonValueKind.False) ? Name(actual) : null;
        }

        if (node is not JsonObject obj)
        {
            return null;
        }

        var segment = segments[index];
        var each = segment.EndsWith("[]", StringComparison.Ordinal);
        var name = each ? segment[..^2] : segment;
        if (name != "*")
        {
            return obj[name] is { } child ? Child(child, name, segments, index, each, kind, path) : null;
        }

        foreach (var (key, value) in obj)
        {
            if (value is not null && Child(value, key, segments, index, each, kind, path) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? Child(JsonNode child, string name, string[] segments, int index, bool each, JsonValueKind kind, List<string> path)
    {
        path.Add(path.Count == 0 ? name : "." + name);
        if (!each)
        {
            if (Check(child, segments, index + 1, kind, path) is { } problem)
            {
                return problem;
            }
        }
        else if (child is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is { } element)
                {
                    path.Add($"[{i}]");
                    if (Check(element, segments, index + 1, kind, path) is { } problem)
                    {
                        return problem;
                    }

                    path.RemoveAt(path.Count - 1);
                }
            }
        }

        path.RemoveAt(path.Count - 1);
        return null;
    }

    /// <summary>A top-level string field, or null with <paramref name="problem"/> saying why when it is there but not a string.</summary>
    public static string? Str(JsonObject json, string name, out string? problem)
    {
        problem = null;
        switch (json[name])
        {
            case null:
                return null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return value.GetValue<string>();
            case var other:
                problem = $"Field {name} must be {Name(JsonValueKind.String)}, not {Name(other.GetValueKind())}.";
                return null;
        }
    }

    /// <summary>What <see cref="JsonValueKind"/> a field is read as, for a sentence: "a string", "a number", ...</summary>
    public static string Name(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Null => "null",
        _ => "absent",
    };

    private static JsonObject? Metadata(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
