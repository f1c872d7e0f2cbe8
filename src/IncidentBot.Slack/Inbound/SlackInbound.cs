using System.Text.Json.Nodes;

namespace IncidentBot.Slack.Inbound;

/// <summary>
/// One thing Slack sent, whichever way it came (HTTP or Socket Mode), named as Socket Mode names it:
/// <c>slash_commands</c> (the command's fields), <c>interactive</c> (the interaction payload), <c>events_api</c> (the event_callback).
/// </summary>
/// <param name="RetryNum">Slack's retry count (X-Slack-Retry-Num, or the envelope's retry_attempt); 0 for a first delivery.</param>
public sealed record SlackInbound(string Type, JsonObject Payload, int RetryNum = 0)
{
    public const string SlashCommands = "slash_commands";
    public const string Interactive = "interactive";
    public const string EventsApi = "events_api";

    /// <summary>Which handler it is for: the envelope type, refined by the interaction or event type.</summary>
    public string Key => Type switch
    {
        Interactive => $"{Interactive}:{(string?)Payload["type"]}",
        EventsApi => $"{EventsApi}:{(string?)Payload["event"]?["type"]}",
        _ => Type,
    };

    public string? Str(string name) => Payload[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}

/// <summary>One handler per kind of inbound interaction. It answers fast (the acknowledgement) and queues slow work.</summary>
public interface ISlackHandler
{
    /// <summary>The <see cref="SlackInbound.Key"/> it handles.</summary>
    string Key { get; }

    /// <summary>The acknowledgement's body (a message payload), or null for an empty 200.</summary>
    Task<SlackAck?> HandleAsync(SlackInbound inbound, CancellationToken cancellationToken);
}
