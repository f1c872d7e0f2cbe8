using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Slack.Inbound;

/// <summary>
/// Hands an inbound payload to its handler, once: repeated events (same event_id) are acknowledged and dropped, and a
/// repeated slash command (<see cref="SlackCommandDeduper"/>) gets a short "already received" instead of running again.
/// </summary>
public sealed class SlackDispatcher(IEnumerable<ISlackHandler> handlers, SlackEventDeduper deduper, TimeProvider time, ILogger<SlackDispatcher> log)
{
    private readonly Dictionary<string, ISlackHandler> _handlers = handlers.ToDictionary(h => h.Key, StringComparer.Ordinal);
    private readonly SlackCommandDeduper _commands = new(time);

    public async Task<SlackAck?> DispatchAsync(SlackInbound inbound, CancellationToken cancellationToken)
    {
        if (inbound.Type == SlackInbound.EventsApi && inbound.Str("event_id") is { } eventId && !deduper.FirstTime(eventId))
        {
            log.LogInformation("Slack event {EventId} delivered again (retry {RetryNum}): already handled", eventId, inbound.RetryNum);
            return null;
        }

        if (inbound.Type == SlackInbound.SlashCommands && !_commands.FirstTime(inbound))
        {
            log.LogInformation("Slash command from {UserId} in {ChannelId} received again: answered, not run again", inbound.Str("user_id"), inbound.Str("channel_id"));
            return SlackAck.Of(new JsonObject
            {
                ["response_type"] = "ephemeral",
                ["text"] = $"Already received `{inbound.Str("command") ?? "/incident"} {Views.Mrkdwn.Escape(Views.Mrkdwn.Truncate(inbound.Str("text") ?? "", 100))}` a moment ago: it runs once.",
            });
        }

        if (!_handlers.TryGetValue(inbound.Key, out var handler))
        {
            log.LogDebug("No handler for Slack {Key}", inbound.Key);
            return null;
        }

        return await handler.HandleAsync(inbound, cancellationToken);
    }
}
