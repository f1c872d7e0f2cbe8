using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace IncidentBot.Properties.Tests.Support;

/// <summary>Generators for hostile input: odd text, JSON of the wrong shapes around the field names Slack uses, mutated bytes.</summary>
public static class Gens
{
    /// <summary>Field names IncidentBot reads (so the generated JSON hits the paths that matter), plus a few it doesn't.</summary>
    private static readonly string[] Names =
    [
        "type", "token", "team_id", "user", "id", "name", "username", "channel", "container", "channel_id", "message_ts",
        "message", "ts", "blocks", "block_id", "actions", "action_id", "value", "text", "response_url", "trigger_id",
        "view", "callback_id", "private_metadata", "state", "values", "skip_reason", "response_urls", "event_id", "event",
        "subtype", "deleted_ts", "previous_message", "bot_id", "envelope_id", "payload", "accepts_response_payload",
        "retry_attempt", "command", "user_id", "user_name", "challenge", "action", "label", "card", "x", "",
    ];

    private static readonly string[] Words =
    [
        "block_actions", "view_submission", "event_callback", "url_verification", "message", "message_changed",
        "message_deleted", "slash_commands", "interactive", "events_api", "hello", "disconnect", "skip_reason",
        "declare", "INC-1", "U0ALICE", "", " ", "@[carol]", "<!channel>", "\u0000", "\u001b[2J", "\u2060", "\ud83d\ude00", "é",
    ];

    /// <summary>Text with the characters that cause trouble: controls, surrogate pairs, markup, separators.</summary>
    public static readonly Gen<string> Text = Gen.OneOf(
        Gen.String,
        Gen.OneOf(Words),
        Gen.Char[' ', '~'].Array[0, 40].Select(c => new string(c)),
        Gen.OneOf('\0', '\t', '\n', '\r', '\u0085', '\u009b', '\u007f', '\u2028', '@', '[', ']', '<', '>', '&', '%', '+', '=', '"', '\\', '#', '*', '`', '|', 'a', 'Z', '1', ' ', 'é', '\uFFFD')
            .Array[0, 30].Select(c => new string(c)));

    /// <summary>A JSON value of any kind (no lone surrogates: those are added to the bytes by <see cref="Mutated"/>).</summary>
    public static Gen<JsonNode?> Node(int depth)
    {
        var leaf = Gen.OneOf(
            Gen.Const((JsonNode?)null),
            Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
            Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i)),
            Gen.Double[-1e9, 1e9].Select(d => (JsonNode?)JsonValue.Create(d)),
            Gen.OneOf(Words).Select(w => (JsonNode?)JsonValue.Create(Safe(w))),
            Text.Select(t => (JsonNode?)JsonValue.Create(Safe(t))));
        if (depth == 0)
        {
            return leaf;
        }

        var inner = Node(depth - 1);
        var obj = Gen.Select(Gen.OneOf(Names), inner).Array[0, 6].Select(fields =>
        {
            var o = new JsonObject();
            foreach (var (name, value) in fields)
            {
                o[name] = value;
            }

            return (JsonNode?)o;
        });
        var arr = inner.Array[0, 4].Select(items => (JsonNode?)new JsonArray(items));
        return Gen.Frequency((3, leaf), (3, obj), (1, arr));
    }

    /// <summary>A JSON object whose top level uses Slack's names.</summary>
    public static readonly Gen<JsonObject> Object = Gen.Select(Gen.OneOf(Names), Node(3)).Array[0, 8].Select(fields =>
    {
        var o = new JsonObject();
        foreach (var (name, value) in fields)
        {
            o[name] = value;
        }

        return o;
    });

    /// <summary>
    /// The bytes of <paramref name="json"/>, sometimes damaged: a lone surrogate escape put into a string, bytes
    /// inserted, deleted or replaced, or cut short.
    /// </summary>
    public static Gen<byte[]> Mutated(Gen<string> json) =>
        Gen.Select(json, Gen.Int[0, 5], Gen.Int[0, int.MaxValue], Gen.Byte).Select((text, how, at, b) =>
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            if (bytes.Length == 0)
            {
                return bytes;
            }

            var i = at % bytes.Length;
            return how switch
            {
                0 => Encoding.UTF8.GetBytes(text.Replace("\"", "\"\\ud83d", StringComparison.Ordinal)),
                1 => [.. bytes[..i], b, .. bytes[i..]],
                2 => [.. bytes[..i], .. bytes[(i + 1)..]],
                3 => [.. bytes[..i], b, .. bytes[(i + 1)..]],
                4 => bytes[..i],
                _ => bytes,
            };
        });

    /// <summary>Serialisable text: lone surrogates (which no JSON writer accepts) replaced.</summary>
    private static string Safe(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = '?';
            }
        }

        return new string(chars);
    }
}
