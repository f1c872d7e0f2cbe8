using System.Text.Json.Nodes;
using IncidentBot.Slack.Api;

namespace IncidentBot.Slack.Outbound;

/// <summary>Message payloads for acknowledgements and response_url posts.</summary>
public static class SlackReplies
{
    /// <summary>A message of one mrkdwn section, for text that already is mrkdwn (channel links, mentions).</summary>
    public static SlackMessage Mrkdwn(string mrkdwn) => new(
        mrkdwn,
        new JsonArray(new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = mrkdwn } }));

    public static JsonObject Ephemeral(SlackMessage message) => new()
    {
        ["response_type"] = "ephemeral",
        ["replace_original"] = false,
        ["text"] = message.Text,
        ["blocks"] = message.Blocks.DeepClone(),
    };
}
