using System.Text.Json.Nodes;
using IncidentBot.Slack.Api;
using IncidentBot.Slack.Inbound;

namespace IncidentBot.Slack.Outbound;

/// <summary>Message payloads for acknowledgements and response_url posts.</summary>
public static class SlackReplies
{
    /// <summary>A message of one mrkdwn section, for text that already is mrkdwn (channel links, mentions).</summary>
    public static SlackMessage Mrkdwn(string mrkdwn) => new(
        mrkdwn,
        new JsonArray(new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = mrkdwn } }));

    /// <summary>An ephemeral answer as an acknowledgement's body, written straight to JSON (the blocks are not copied).</summary>
    public static SlackAck EphemeralAck(SlackMessage message) => SlackAck.Write(json =>
    {
        json.WriteStartObject();
        json.WriteString("response_type", "ephemeral");
        json.WriteBoolean("replace_original", false);
        json.WriteString("text", message.Text);
        json.WritePropertyName("blocks");
        message.Blocks.WriteTo(json);
        json.WriteEndObject();
    });

    public static JsonObject Ephemeral(SlackMessage message) => new()
    {
        ["response_type"] = "ephemeral",
        ["replace_original"] = false,
        ["text"] = message.Text,
        ["blocks"] = message.Blocks.DeepClone(),
    };
}
