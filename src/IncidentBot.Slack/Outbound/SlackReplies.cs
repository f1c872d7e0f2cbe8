using System.Text.Json.Nodes;
using IncidentBot.Slack.Api;

namespace IncidentBot.Slack.Outbound;

/// <summary>Message payloads for acknowledgements and response_url posts.</summary>
public static class SlackReplies
{
    public static JsonObject Ephemeral(SlackMessage message) => new()
    {
        ["response_type"] = "ephemeral",
        ["replace_original"] = false,
        ["text"] = message.Text,
        ["blocks"] = message.Blocks.DeepClone(),
    };
}
