using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace IncidentBot.Slack.Tests.Support;

/// <summary>Request bodies built from Slack's real samples in tests/specs/slack/extracted, with the fields a test needs changed.</summary>
public static class Payloads
{
    private static int _triggers;

    /// <summary>The bolt-python slash command body, re-encoded with these fields replaced.</summary>
    public static string SlashCommand(string text, string channelId = "C111", string userId = "W111", string? responseUrl = null, string? userName = null)
    {
        var fields = QueryHelpers.ParseQuery(Paths.Sample("http__slash_command_body.bolt-python.txt").Trim())
            .ToDictionary(kv => kv.Key, kv => kv.Value.ToString());
        fields["command"] = "/incident";
        fields["text"] = text;
        fields["channel_id"] = channelId;
        fields["user_id"] = userId;
        fields["trigger_id"] = $"{Interlocked.Increment(ref _triggers)}.47445629121.{Guid.NewGuid():N}"; // one per invocation, as Slack's
        if (responseUrl is not null)
        {
            fields["response_url"] = responseUrl;
        }

        if (userName is not null)
        {
            fields["user_name"] = userName;
        }

        // Slack writes spaces as '+' in these bodies; keep that so the parser meets the real encoding.
        return string.Join('&', fields.Select(kv => $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(kv.Value).Replace("%20", "+", StringComparison.Ordinal)}"));
    }

    public static JsonObject Json(string sample) => (JsonObject)JsonNode.Parse(Paths.Sample(sample))!;

    /// <summary>The bolt-python block_actions payload, pressing <paramref name="button"/> on a message the bot posted.</summary>
    public static JsonObject BlockAction(JsonObject button, string channelId, string messageTs, JsonArray blocks, string userId, string responseUrl)
    {
        var payload = Json("http__block_actions_payload.bolt-python.json");
        payload["user"]!["id"] = userId;
        payload["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = messageTs, ["channel_id"] = channelId, ["is_ephemeral"] = false };
        payload["channel"]!["id"] = channelId;
        payload["message"] = new JsonObject { ["type"] = "message", ["bot_id"] = "BBOT", ["ts"] = messageTs, ["blocks"] = blocks.DeepClone() };
        payload["response_url"] = responseUrl;
        var action = payload["actions"]![0]!;
        action["action_id"] = button["action_id"]!.DeepClone();
        action["text"] = button["text"]!.DeepClone();
        action["value"] = button["value"]!.DeepClone();
        return payload;
    }

    /// <summary>The bolt-python message event, in <paramref name="channelId"/>, with a new event_id and ts.</summary>
    public static JsonObject MessageEvent(string channelId, string eventId, string ts, string text, string userId = "W111")
    {
        var envelope = Json("http__event_callback_message.bolt-python.json");
        envelope["event_id"] = eventId;
        var ev = envelope["event"]!;
        ev["channel"] = channelId;
        ev["ts"] = ts;
        ev["event_ts"] = ts;
        ev["text"] = text;
        ev["user"] = userId;
        return envelope;
    }
}
