using System.Globalization;
using System.Text.Json.Nodes;
using IncidentBot.Core.Service;
using IncidentBot.Slack.Inbound;
using IncidentBot.Slack.Outbound;
using IncidentBot.Slack.Views;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Slack.Handlers;

/// <summary>
/// <c>message</c> events in an incident's channel become timeline entries (author, Slack ts as the time);
/// <c>message_changed</c> and <c>message_deleted</c> edit or remove them while the incident is open; once it has ended the
/// record is final and they are added as entries of their own. Bots' messages (our own included) are skipped.
/// </summary>
public sealed class MessageEventHandler(IncidentService incidents, SlackPeople people, SlackWorkQueue queue, TimeProvider time, ILogger<MessageEventHandler> log) : ISlackHandler
{
    public string Key => $"{SlackInbound.EventsApi}:message";

    public Task<SlackAck?> HandleAsync(SlackInbound inbound, CancellationToken cancellationToken)
    {
        if (inbound.Payload["event"] is not JsonObject ev || (string?)ev["channel"] is not { } channel)
        {
            return Task.FromResult<SlackAck?>(null);
        }

        var subtype = (string?)ev["subtype"];
        if (IsBot(ev) || subtype == "bot_message" || (subtype == "message_changed" && ev["message"] is JsonObject changed && IsBot(changed)))
        {
            return Task.FromResult<SlackAck?>(null);
        }

        queue.Enqueue(channel, $"message event {inbound.Str("event_id")}", ct => RecordAsync(channel, subtype, ev, ct));
        return Task.FromResult<SlackAck?>(null);
    }

    private async Task RecordAsync(string channel, string? subtype, JsonObject ev, CancellationToken cancellationToken)
    {
        var incident = incidents.FindByChannel(SlackSurface.PlatformName, channel);
        if (incident is null)
        {
            return;
        }

        switch (subtype)
        {
            case null or "" or "thread_broadcast" or "file_share" or "me_message":
                if ((string?)ev["user"] is not { } user || (string?)ev["ts"] is not { } ts)
                {
                    return;
                }

                var actor = await people.LookUpAsync(user, cancellationToken);
                var recorded = await incidents.RecordChannelMessageAsync(incident.Id, actor.Name, (string?)ev["text"] ?? "", TimeOf(ts), SourceRef(channel, ts), cancellationToken);
                log.LogDebug("Message {Ts} in {Channel}: {Result}", ts, channel, recorded ? "recorded" : "already on the timeline");
                break;
            case "message_changed":
                var editedTs = (string?)ev["message"]?["ts"] ?? (string?)ev["previous_message"]?["ts"];
                if (editedTs is not null)
                {
                    var editor = await AuthorAsync((string?)ev["message"]?["user"] ?? (string?)ev["previous_message"]?["user"], cancellationToken);
                    await incidents.EditChannelMessageAsync(incident.Id, editor, SourceRef(channel, editedTs), (string?)ev["message"]?["text"] ?? "", EventTime(ev), cancellationToken);
                }

                break;
            case "message_deleted":
                var deletedTs = (string?)ev["deleted_ts"] ?? (string?)ev["previous_message"]?["ts"];
                if (deletedTs is not null)
                {
                    var deleter = await AuthorAsync((string?)ev["previous_message"]?["user"], cancellationToken);
                    await incidents.RemoveChannelMessageAsync(incident.Id, deleter, SourceRef(channel, deletedTs), EventTime(ev), cancellationToken);
                }

                break;
        }
    }

    private async Task<string> AuthorAsync(string? userId, CancellationToken cancellationToken) =>
        userId is null ? "someone" : (await people.LookUpAsync(userId, cancellationToken)).Name;

    /// <summary>When Slack says the edit or deletion happened (the event's own ts), else now.</summary>
    private DateTimeOffset EventTime(JsonObject ev) => ((string?)ev["event_ts"] ?? (string?)ev["ts"]) is { Length: > 0 } ts ? TimeOf(ts) : time.GetUtcNow();

    private static bool IsBot(JsonObject message) => message["bot_id"] is not null || message["bot_profile"] is not null;

    public static string SourceRef(string channel, string ts) => $"{SlackSurface.PlatformName}:{channel}:{ts}";

    /// <summary>A Slack ts ("1596183880.004200") is Unix seconds with microseconds.</summary>
    public static DateTimeOffset TimeOf(string ts) =>
        decimal.TryParse(ts, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
            : DateTimeOffset.UnixEpoch;
}
