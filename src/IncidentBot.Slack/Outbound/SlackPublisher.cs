using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using IncidentBot.Core;
using IncidentBot.Core.Escalation;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;
using IncidentBot.Core.Service;
using IncidentBot.Slack.Api;
using IncidentBot.Slack.Views;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.Outbound;

/// <summary>
/// Carries publications to Slack, from the worker: opens the incident's channel on declaration (create, topic,
/// invite, card, pin), updates the pinned card on every later change, posts the room's messages and uploads files.
/// A refusal from Slack is told to the person who caused the change (response_url) or to the room, never only logged.
/// </summary>
public sealed class SlackPublisher(
    ISlackApi api,
    BlockKitRenderer renderer,
    SlackPeople people,
    IOptions<SlackOptions> options,
    IOptionsMonitor<RosterOptions> roster,
    IIncidentRooms rooms,
    IPageFailures pageFailures,
    IPlatformRecords records,
    ITimelineRecorder timeline,
    IRoomDeliveryCounter undelivered,
    TimeProvider time,
    ILogger<SlackPublisher> log)
{
    private const int NameAttempts = 5;

    /// <summary>
    /// Slack's answers (chat.postMessage, chat.update) that are about the one message, not the channel: the next message
    /// would go through, so they don't start a stretch of trouble for the room. Anything else (channel_not_found,
    /// is_archived, not_in_channel, HTTP 5xx after retries, no answer, ...) does.
    /// </summary>
    private static readonly HashSet<string> AboutTheMessage = new(StringComparer.Ordinal)
    {
        "message_not_found", "cant_update_message", "edit_window_closed", "msg_too_long", "msg_blocks_too_long", "no_text",
        "invalid_blocks", "invalid_blocks_format", "invalid_attachments", "too_many_attachments", "attachment_payload_limit_exceeded",
        "markdown_text_conflict", "invalid_metadata_format", "invalid_metadata_schema", "metadata_too_large", "block_mismatch",
    };
    private readonly ConcurrentDictionary<string, Room> _rooms = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The ts of each in-place message (<see cref="ChatMessage.UpdateKey"/>), in the storage file: a restart updates the same message.</summary>
    private readonly InPlaceMessages _inPlace = new(records, SlackSurface.PlatformName);

    /// <summary>Whether each incident channel gets the bot's messages; a stretch of failures is one line on the timeline when it starts and one when it ends.</summary>
    private readonly RoomDeliveries _deliveries = new(records, timeline, time, SlackSurface.PlatformName, "Slack", counter: undelivered);

    public bool Knows(string incidentId) => _rooms.ContainsKey(incidentId);

    public async Task PublishAsync(Publication publication, Origin? origin, CancellationToken cancellationToken)
    {
        var incident = publication.Incident;
        var room = _rooms.GetValueOrDefault(incident.Id) ?? incident.RoomOn(SlackSurface.PlatformName);
        if (room is null)
        {
            return;
        }

        if (publication.Declared)
        {
            room = await OpenRoomAsync(publication, room, origin, cancellationToken);
        }
        else if (room.CardMessageId is { } cardTs && !publication.CardUnchanged)
        {
            await DeliverAsync(incident.Id, room, origin, () => api.UpdateAsync(room.ChannelId, cardTs, renderer.Render(publication.Card), cancellationToken), cancellationToken);
        }

        foreach (var post in publication.Posts)
        {
            await DeliverAsync(incident.Id, room, origin, () => post.UpdateKey is { } key
                ? PostOrUpdateAsync(incident.Id, key, room.ChannelId, post, cancellationToken)
                : PostAsync(room.ChannelId, post, cancellationToken), cancellationToken);
        }

        foreach (var direct in publication.Directs)
        {
            if (direct.Message.Kind == MessageKind.Ping)
            {
                await PageAsync(incident.Id, direct, cancellationToken);
            }
            else
            {
                await TryAsync(incident.Id, room, origin, () => DirectAsync(direct, cancellationToken), $"The direct message to {direct.PersonName}");
            }
        }
    }

    /// <summary>Posts one message to a channel: Block Kit, or for a message with a file, the file upload.</summary>
    public async Task PostAsync(string channel, ChatMessage message, CancellationToken cancellationToken)
    {
        if (message.File is { } file)
        {
            var bytes = Encoding.UTF8.GetBytes(file.Content);
            var upload = await api.GetUploadUrlExternalAsync(file.FileName, bytes.Length, cancellationToken);
            await api.UploadToUrlAsync(upload.UploadUrl, bytes, cancellationToken);
            await api.CompleteUploadExternalAsync(upload.FileId, file.Title, channel, Mrkdwn.Escape(SlackPeople.Plain(message.Header ?? file.Title)), cancellationToken);
            return;
        }

        await api.PostMessageAsync(channel, renderer.Render(message), cancellationToken);
    }

    /// <summary>
    /// The incident's message for <paramref name="key"/>: chat.postMessage the first time, chat.update of that ts after,
    /// also after a restart (the ts is in the storage file). A message Slack can no longer update (deleted, or too old)
    /// is replaced by a fresh post, whose ts is kept instead: the progress is never lost.
    /// </summary>
    private async Task PostOrUpdateAsync(string incidentId, string key, string channel, ChatMessage message, CancellationToken cancellationToken)
    {
        var rendered = renderer.Render(message);
        if (_inPlace.Find(incidentId, key, channel) is { } ts)
        {
            try
            {
                await api.UpdateAsync(channel, ts, rendered, cancellationToken);
                return;
            }
            catch (SlackApiException e) when (e.Error is "message_not_found" or "cant_update_message")
            {
                log.LogWarning("{IncidentId}: the message for {Key} (ts {Ts}) can no longer be updated ({Problem}); posting a fresh one", incidentId, key, ts, e.Error);
            }
        }

        var posted = await api.PostMessageAsync(channel, rendered, cancellationToken);
        if (posted.Ts is { Length: > 0 } postedTs)
        {
            _inPlace.Remember(incidentId, key, channel, postedTs, time.GetUtcNow());
        }
    }

    /// <summary>Tells the invoker privately: through the response_url if there is one, else as an ephemeral message.</summary>
    public Task TellAsync(Origin origin, ChatMessage message, CancellationToken cancellationToken) =>
        TellAsync(origin, renderer.Render(message), cancellationToken);

    public async Task TellAsync(Origin origin, SlackMessage rendered, CancellationToken cancellationToken)
    {
        try
        {
            if (origin.ReplyTo is { Length: > 0 } url)
            {
                await api.RespondAsync(url, SlackReplies.Ephemeral(rendered), cancellationToken);
            }
            else
            {
                await api.PostEphemeralAsync(origin.ChannelId, origin.UserId, rendered, cancellationToken);
            }
        }
        catch (Exception e) when (e is SlackApiException or HttpRequestException)
        {
            // Not the text: a private answer may carry a credential (the webhook dashboard sign-in link).
            log.LogError("Could not tell Slack user {UserId}: {Problem} (a private answer of {Length} characters was not delivered)", origin.UserId, e.Message, rendered.Text.Length);
        }
    }

    private async Task<Room> OpenRoomAsync(Publication publication, Room declaredIn, Origin? origin, CancellationToken cancellationToken)
    {
        var incident = publication.Incident;
        var room = new Room { Platform = SlackSurface.PlatformName, ChannelId = declaredIn.ChannelId, ChannelName = declaredIn.ChannelName };
        if (options.Value.CreateChannels)
        {
            try
            {
                var channel = await CreateChannelAsync(incident, cancellationToken);
                room = new Room { Platform = SlackSurface.PlatformName, ChannelId = channel.Id, ChannelName = channel.Name };
                _rooms[incident.Id] = room;

                // On the incident at once, so commands and messages in the new channel find it even before the card is up.
                await rooms.AttachRoomAsync(incident.Id, room, cancellationToken);
                await TryAsync(incident.Id, room, origin, () => api.SetTopicAsync(channel.Id, Topic(incident), cancellationToken));
                var members = Members(incident, origin);
                if (members.Count > 0)
                {
                    await TryAsync(incident.Id, room, origin, () => api.InviteAsync(channel.Id, members, cancellationToken));
                }

                if (origin is not null)
                {
                    await TellAsync(origin, SlackReplies.Mrkdwn($"{incident.Id} is declared; it lives in <#{channel.Id}> now."), cancellationToken);
                }
            }
            catch (Exception e) when (e is SlackApiException or HttpRequestException)
            {
                log.LogWarning("No channel for {IncidentId}: {Problem}", incident.Id, e.Message);
                var why = ChatMessage.Warn($"I could not open a channel for {incident.Id}: {e.Message}. {incident.Id} stays in this channel and works here.");
                if (origin is not null)
                {
                    await TellAsync(origin, why, cancellationToken);
                }
                else
                {
                    await TryAsync(incident.Id, room, null, () => PostAsync(room.ChannelId, why, cancellationToken));
                }
            }
        }

        _rooms[incident.Id] = room;
        string? cardTs = null;
        await DeliverAsync(incident.Id, room, origin, async () => cardTs = (await api.PostMessageAsync(room.ChannelId, renderer.Render(publication.Card), cancellationToken)).Ts, cancellationToken);
        if (cardTs is not null)
        {
            room.CardMessageId = cardTs;
            await TryAsync(incident.Id, room, origin, () => api.PinAsync(room.ChannelId, cardTs, cancellationToken));
        }

        // Remembered on the incident too, so the channel's messages find it and a restart keeps updating the card.
        await rooms.AttachRoomAsync(incident.Id, room, cancellationToken);
        return room;
    }

    private async Task<SlackChannel> CreateChannelAsync(Incident incident, CancellationToken cancellationToken)
    {
        var name = ChannelNames.For(options.Value.ChannelNamePattern, incident);
        for (var attempt = 1; ; attempt++)
        {
            var candidate = attempt == 1 ? name : ChannelNames.Alternative(name, attempt);
            try
            {
                var created = await api.CreateConversationAsync(candidate, options.Value.IsPrivate(incident.Category), cancellationToken);
                return created.Channel ?? throw new SlackApiException("conversations.create", "no channel in the answer");
            }
            catch (SlackApiException e) when (e.Error == "name_taken" && attempt < NameAttempts)
            {
                log.LogInformation("Channel name {Name} is taken; trying another", candidate);
            }
        }
    }

    private List<string> Members(Incident incident, Origin? origin)
    {
        var ids = new List<string?> { origin?.UserId, people.SlackIdOf(incident.Declarer) };
        foreach (var role in options.Value.InviteRoles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            ids.AddRange(roster.CurrentValue.WithRole(role).Select(p => p.SlackId));
        }

        return ids.OfType<string>().Where(id => id.Length > 0).Distinct(StringComparer.Ordinal).ToList();
    }

    private static string Topic(Incident incident)
    {
        var topic = $"{incident.Id} · {SeverityText.Format(incident.Severity)} · {incident.Category} · {SlackPeople.Plain(incident.Title)}";
        return topic.Length <= 250 ? topic : topic[..249] + "…";
    }

    /// <summary>A page by DM: one that can't be delivered goes to escalation, which says so in the room and pages the next level now.</summary>
    private async Task PageAsync(string incidentId, DirectMessage page, CancellationToken cancellationToken)
    {
        string why;
        try
        {
            if (await DirectAsync(page, cancellationToken))
            {
                return;
            }

            why = "no SlackId in the roster";
        }
        catch (Exception e) when (e is SlackApiException or HttpRequestException)
        {
            why = $"the Slack direct message failed ({e.Message})";
        }

        log.LogWarning("{IncidentId}: the page to {Person} was not delivered in Slack: {Problem}", incidentId, page.PersonName, why);
        await pageFailures.UndeliveredAsync(incidentId, page.PersonName, why, cancellationToken);
    }

    /// <summary>False when the person has no Slack id to write to.</summary>
    private async Task<bool> DirectAsync(DirectMessage direct, CancellationToken cancellationToken)
    {
        if (people.SlackIdOf(direct.PersonName) is not { } user)
        {
            log.LogWarning("Cannot message {Person} in Slack: no SlackId in the roster", direct.PersonName);
            return false;
        }

        var conversation = await api.OpenConversationAsync(user, cancellationToken);
        await PostAsync(conversation.Channel?.Id ?? user, direct.Message, cancellationToken);
        return true;
    }

    /// <summary>
    /// A message for the incident's room (a post, an update of the card or of an in-place message). A failure is told to
    /// whoever caused the change, and the room's stretch of trouble is counted (<see cref="RoomDeliveries"/>): its first
    /// failure goes on the timeline and is tried once in the room too; later ones are only counted, never posted back to
    /// the failing room. The first delivery that gets through again ends the stretch, on the timeline and in the room.
    /// </summary>
    private async Task DeliverAsync(string incidentId, Room room, Origin? origin, Func<Task> delivery, CancellationToken cancellationToken)
    {
        try
        {
            await delivery();
        }
        catch (Exception e) when (e is SlackApiException or HttpRequestException)
        {
            log.LogWarning("Slack call for {Channel} failed: {Problem}", room.ChannelId, e.Message);
            if (origin is not null)
            {
                await TellAsync(origin, ChatMessage.Warn($"{e.Message}."), CancellationToken.None);
            }

            // This message's own fault (too long, its target gone): the room is fine, so no stretch of trouble.
            var aboutTheMessage = e is SlackApiException { Error: var error } && AboutTheMessage.Contains(error);
            await _deliveries.FailedAsync(incidentId, room, Problem(e), e.Message, aboutTheMessage, sayAboutTheMessage: origin is null, warning => WarnRoomAsync(incidentId, room, warning));
            return;
        }

        await RecoveredAsync(incidentId, room, sayInRoom: true, cancellationToken);
    }

    /// <summary>Ends the room's stretch of trouble, if it had one: the count on the timeline, and said in the room unless a warning there just did.</summary>
    private async Task RecoveredAsync(string incidentId, Room room, bool sayInRoom, CancellationToken cancellationToken)
    {
        if (_deliveries.Delivered(incidentId, room) is not { } recovered)
        {
            return;
        }

        log.LogInformation("{IncidentId}: Slack delivers to {Channel} again: {Recovered}", incidentId, room.ChannelId, recovered);
        if (!sayInRoom)
        {
            return;
        }

        try
        {
            await api.PostMessageAsync(room.ChannelId, renderer.Render(ChatMessage.Warn(recovered)), cancellationToken);
        }
        catch (Exception e) when (e is SlackApiException or HttpRequestException)
        {
            // The timeline has it; the next failure in the room starts a new stretch of its own.
            log.LogWarning("Could not tell {Channel} what it missed: {Problem}", room.ChannelId, e.Message);
        }
    }

    /// <summary>Slack's answer for the timeline: the method and its error code, or what kept the call from Slack. Never a token.</summary>
    private static string Problem(Exception e) => e is SlackApiException ? e.Message : $"Slack could not be reached ({e.Message})";

    /// <param name="what">Names what failed when the Slack error alone wouldn't say ("The direct message to alice").</param>
    private async Task TryAsync(string incidentId, Room room, Origin? origin, Func<Task> call, string? what = null)
    {
        try
        {
            await call();
        }
        catch (Exception e) when (e is SlackApiException or HttpRequestException)
        {
            log.LogWarning("Slack call for {Channel} failed: {Problem}", room.ChannelId, e.Message);
            var warning = ChatMessage.Warn(what is null ? $"{e.Message}." : $"{what} failed: {e.Message}.");
            if (origin is not null)
            {
                await TellAsync(origin, warning, CancellationToken.None);
            }
            else if (!_deliveries.IsFailing(incidentId, room.ChannelId))
            {
                await WarnRoomAsync(incidentId, room, warning);
            }
        }
    }

    /// <summary>
    /// Says a failure in the room itself. Not counted as one more undelivered message when it fails too (it is about one
    /// already counted), so it can't feed on itself; when it gets through, the room works and its stretch of trouble ends.
    /// </summary>
    private async Task WarnRoomAsync(string incidentId, Room room, ChatMessage warning)
    {
        try
        {
            await api.PostMessageAsync(room.ChannelId, renderer.Render(warning), CancellationToken.None);
        }
        catch (Exception again) when (again is SlackApiException or HttpRequestException)
        {
            log.LogError("Could not report a Slack failure in {Channel}: {Problem}", room.ChannelId, again.Message);
            return;
        }

        await RecoveredAsync(incidentId, room, sayInRoom: false, CancellationToken.None);
    }
}
