using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using IncidentBot.Properties.Tests.Support;
using IncidentBot.Slack.Inbound;
using IncidentBot.Slack.SocketMode;

namespace IncidentBot.Properties.Tests.Slack;

/// <summary>
/// Every inbound Slack parser, fed generated input: never an exception; either a clear refusal (a sentence naming the
/// field) or a payload the handlers can read; every string that gets through is clean (no lone surrogate, no control
/// character, no typed mention marker).
/// </summary>
public sealed class InboundParserProperties
{
    private static readonly Gen<string> FormBodies = Gen.OneOf(
        Gens.Text,
        Gen.Select(Gen.OneOf("user_id", "text", "channel_id", "command", "trigger_id", "ssl_check", "payload", "x", ""), Gens.Text)
            .Array[0, 8].Select(fields => string.Join('&', fields.Select(f => $"{f.Item1}={Encode(f.Item2)}"))),
        Gen.OneOf("%", "%zz", "%ED%A0%BD", "a=%00%01", "=&=&", "+++", "a=b=c", "%F0%9F%98"));

    [Fact]
    public void FormBodiesAlwaysParseIntoCleanStringsAndAClearAnswer() =>
        Gen.OneOf(FormBodies.Select(Encoding.UTF8.GetBytes), Gen.Byte.Array[0, 200]).Sample(body =>
        {
            var form = SlackRequestReader.Form(body);
            Assert.All(form, f => AssertClean(f.Key));
            Assert.All(form, f => AssertClean((string)f.Value!));
            AssertAnswered(new SlackInbound(SlackInbound.SlashCommands, form));
        }, iter: Iterations.Count, threads: 1);

    [Fact]
    public void InteractionPayloadsAreRefusedClearlyOrReadable() =>
        Gens.Mutated(Gens.Object.Select(o => o.ToJsonString())).Sample(body =>
        {
            if (SlackRequestReader.Json(body) is { } json)
            {
                AssertCleanTree(json);
                AssertAnswered(new SlackInbound(SlackInbound.Interactive, json));
            }
        }, iter: Iterations.Count, threads: 1);

    [Fact]
    public void ParsingCleansExactlyWhatCleaningEveryStringWould() =>
        Gen.Select(Gens.Object, Gen.Bool).Sample((o, raw) =>
        {
            // Raw: non-ASCII written as UTF-8 bytes, not escaped, so the check of unescaped strings is exercised too.
            var bytes = Encoding.UTF8.GetBytes(raw ? Unescaped(o.ToJsonString(RawText)) : o.ToJsonString());
            var everyString = SlackText.Clean((JsonObject)JsonNode.Parse(bytes)!);
            Assert.Equal(everyString.ToJsonString(), SlackText.ParseObject(bytes)!.ToJsonString());
        }, iter: Iterations.Count, threads: 1);

    /// <summary>The C1 controls and DEL the writer escapes, written raw, as a client may send them.</summary>
    private static string Unescaped(string json) => System.Text.RegularExpressions.Regex.Replace(
        json, @"(?<!\\)\\u00(7F|[89][0-9A-F])", m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString(), System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    private static readonly System.Text.Json.JsonSerializerOptions RawText = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public void EventsAreRefusedClearlyOrReadable() =>
        Gens.Mutated(Gens.Object.Select(o =>
        {
            o["type"] = "event_callback";
            return o.ToJsonString();
        })).Sample(body =>
        {
            if (SlackRequestReader.Json(body) is { } json)
            {
                _ = SlackShape.Str(json, "type", out _);
                AssertAnswered(new SlackInbound(SlackInbound.EventsApi, json));
            }
        }, iter: Iterations.Count, threads: 1);

    [Fact]
    public void SocketModeEnvelopesAreReadWithoutTrustingTheirTypes() =>
        Gens.Mutated(Gen.Select(Gens.Object, Gen.OneOf(SlackInbound.SlashCommands, SlackInbound.Interactive, SlackInbound.EventsApi, "hello", "x"), Gens.Object)
            .Select((envelope, type, payload) =>
            {
                envelope["envelope_id"] ??= "e1";
                envelope["type"] ??= type;
                envelope["payload"] ??= payload;
                return envelope.ToJsonString();
            })).Sample(bytes =>
        {
            if (SlackText.ParseObject(bytes) is not { } json)
            {
                return;
            }

            var type = SlackShape.Str(json, "type", out var typeProblem);
            _ = SlackShape.Str(json, "envelope_id", out _);
            var envelope = Envelope.Read(json, type, typeProblem, out var problem);
            if (envelope.Inbound is { } inbound)
            {
                Assert.Null(problem);
                HandlerReads.Read(inbound);
            }
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(problem));
            }
        }, iter: Iterations.Count, threads: 1);

    [Fact]
    public void SignatureHeadersNeverThrowAndOnlyTheGenuineOnePasses()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_764_300_000);
        Gen.Select(Gen.OneOf(Gens.Text, Gen.Long.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture))), Gens.Text, Gen.Byte.Array[0, 64]).Sample((timestamp, signature, body) =>
        {
            Assert.NotNull(SlackSignature.Problem("secret", timestamp, signature, body, now, TimeSpan.FromMinutes(5)));
            var fresh = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Null(SlackSignature.Problem("secret", fresh, SlackSignature.Sign("secret", fresh, body), body, now, TimeSpan.FromMinutes(5)));
        }, iter: Iterations.Count, threads: 1);
    }

    /// <summary>A refusal is a sentence naming a field; without one, the handlers' reads all succeed.</summary>
    private static void AssertAnswered(SlackInbound inbound)
    {
        var problem = SlackShape.Problem(inbound);
        if (problem is null)
        {
            HandlerReads.Read(inbound);
        }
        else
        {
            Assert.StartsWith("Field ", problem, StringComparison.Ordinal);
            Assert.EndsWith(".", problem, StringComparison.Ordinal);
        }
    }

    private static void AssertCleanTree(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    AssertClean(key);
                    AssertCleanTree(value);
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    AssertCleanTree(item);
                }

                break;
            case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String:
                AssertClean(v.GetValue<string>());
                break;
        }
    }

    private static void AssertClean(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            Assert.False(char.IsSurrogate(c), "lone surrogate");
            Assert.False(char.IsControl(c) && c is not ('\t' or '\n' or '\r'), "control character");
            Assert.False(c == '[' && i > 0 && text[i - 1] == '@', "mention marker");
        }
    }

    private static string Encode(string text) => Uri.EscapeDataString(new string(text.Select(c => char.IsSurrogate(c) ? '?' : c).ToArray()));
}
