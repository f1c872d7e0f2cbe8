using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.Slack.Inbound;

namespace IncidentBot.Properties.Tests.Slack;

/// <summary>
/// Every read the Slack handlers (Handlers/*.cs) and the dispatcher make of a payload, in the same typed-cast form, so a
/// property can show that a payload which passed <see cref="SlackShape"/> can be read without an exception.
/// Keep in step with the handlers: a new field read there belongs here and in SlackShape's rules.
/// </summary>
public static class HandlerReads
{
    public static void Read(SlackInbound inbound)
    {
        _ = inbound.Key;
        _ = inbound.Str("event_id");
        var p = inbound.Payload;
        switch (inbound.Type)
        {
            case SlackInbound.SlashCommands:
                _ = (inbound.Str("user_id"), inbound.Str("user_name"), inbound.Str("channel_id"), inbound.Str("text"), inbound.Str("response_url"), inbound.Str("trigger_id"), inbound.Str("command"));
                break;
            case SlackInbound.Interactive:
                _ = ((string?)p["user"]?["id"], (string?)p["user"]?["name"], (string?)p["user"]?["username"]);
                _ = ((string?)p["channel"]?["id"], (string?)p["container"]?["channel_id"], (string?)p["container"]?["message_ts"]);
                var blocks = p["message"]?["blocks"] as JsonArray;
                _ = blocks?.OfType<JsonObject>().Select(b => ((string?)b["type"], (string?)b["block_id"])).ToList();
                var pressed = p["actions"] is JsonArray { Count: > 0 } actions ? actions[0] : null;
                _ = ((string?)pressed?["value"], (string?)pressed?["text"]?["text"], (string?)p["trigger_id"], (string?)p["response_url"]);
                var view = p["view"];
                _ = ((string?)view?["callback_id"], (string?)view?["state"]?["values"]?["skip_reason"]?["skip_reason"]?["value"]);
                if ((string?)view?["private_metadata"] is { } metadata && Parse(metadata) is { } meta)
                {
                    _ = ((string?)meta["action"], (string?)meta["channel"], (string?)meta["ts"], (string?)meta["label"]);
                    _ = (meta["card"] as JsonArray)?.OfType<JsonObject>().Select(b => ((string?)b["type"], (string?)b["block_id"])).ToList();
                }

                _ = p["response_urls"] is JsonArray { Count: > 0 } urls ? (string?)urls[0]?["response_url"] : null;
                break;
            case SlackInbound.EventsApi:
                if (p["event"] is JsonObject ev)
                {
                    _ = ((string?)ev["channel"], (string?)ev["subtype"], (string?)ev["user"], (string?)ev["ts"], (string?)ev["text"], (string?)ev["deleted_ts"]);
                    _ = ev["message"] is JsonObject changed ? changed["bot_id"] : null;
                    _ = ((string?)ev["message"]?["ts"], (string?)ev["previous_message"]?["ts"], (string?)ev["message"]?["text"]);
                }

                break;
        }
    }

    private static JsonObject? Parse(string text)
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
