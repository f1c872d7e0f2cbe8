using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Slack.Inbound;

/// <summary>Hands an inbound payload to its handler, once: repeated events (same event_id) are acknowledged and dropped.</summary>
public sealed class SlackDispatcher(IEnumerable<ISlackHandler> handlers, SlackEventDeduper deduper, ILogger<SlackDispatcher> log)
{
    private readonly Dictionary<string, ISlackHandler> _handlers = handlers.ToDictionary(h => h.Key, StringComparer.Ordinal);

    public async Task<JsonObject?> DispatchAsync(SlackInbound inbound, CancellationToken cancellationToken)
    {
        if (inbound.Type == SlackInbound.EventsApi && inbound.Str("event_id") is { } eventId && !deduper.FirstTime(eventId))
        {
            log.LogInformation("Slack event {EventId} delivered again (retry {RetryNum}): already handled", eventId, inbound.RetryNum);
            return null;
        }

        if (!_handlers.TryGetValue(inbound.Key, out var handler))
        {
            log.LogDebug("No handler for Slack {Key}", inbound.Key);
            return null;
        }

        return await handler.HandleAsync(inbound, cancellationToken);
    }
}
