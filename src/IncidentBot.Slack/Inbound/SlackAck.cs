using System.Text.Json;
using System.Text.Json.Nodes;

namespace IncidentBot.Slack.Inbound;

/// <summary>
/// The body of an acknowledgement (a message payload, a view's errors), as the UTF-8 JSON that goes back to Slack.
/// Written once: over HTTP it is the response body as it is; over Socket Mode it becomes the envelope's <c>payload</c>.
/// </summary>
public sealed class SlackAck
{
    private SlackAck(byte[] utf8Json) => Utf8Json = utf8Json;

    public byte[] Utf8Json { get; }

    public static SlackAck Of(JsonObject payload) => new(JsonSerializer.SerializeToUtf8Bytes(payload, SlackAckJson.Options));

    /// <summary>An acknowledgement written straight to JSON by <paramref name="write"/> (one object; the writer is started for it).</summary>
    public static SlackAck Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, SlackAckJson.WriterOptions))
        {
            write(writer);
        }

        return new SlackAck(buffer.WrittenSpan.ToArray());
    }

    public JsonObject ToJsonObject() => (JsonObject)JsonNode.Parse(Utf8Json)!;

    public override string ToString() => System.Text.Encoding.UTF8.GetString(Utf8Json);
}

internal static class SlackAckJson
{
    public static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = Options.Encoder };
}
