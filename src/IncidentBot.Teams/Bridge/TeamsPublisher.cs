using IncidentBot.Core;
using IncidentBot.Core.Escalation;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;
using IncidentBot.Teams.Activities;
using IncidentBot.Teams.Connector;
using IncidentBot.Teams.Outbound;
using IncidentBot.Teams.Storage;
using IncidentBot.Teams.Views;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncidentBot.Teams.Bridge;

/// <summary>
/// Carries publications to Teams, from the worker: on declaration a thread for the incident in its channel (the card
/// as its first message) or, in a chat, the card in that chat; on every later change the card updated in place; the
/// room's posts; pages and DMs proactively in each person's 1:1 chat. A failure is said in the incident's room.
/// </summary>
public sealed class TeamsPublisher(
    TeamsSender sender,
    TeamsStore store,
    TeamsPeople people,
    IIncidentRooms rooms,
    IOptions<TeamsOptions> options,
    IPageFailures pageFailures,
    IPlatformRecords records,
    ITimelineRecorder timeline,
    IRoomDeliveryCounter undelivered,
    TimeProvider time,
    ILogger<TeamsPublisher> log)
{
    /// <summary>The activity id of each in-place message (<see cref="ChatMessage.UpdateKey"/>), in the storage file: a restart updates the same message.</summary>
    private readonly InPlaceMessages _inPlace = new(records, TeamsSurface.PlatformName);

    /// <summary>Whether each incident's thread or chat gets the bot's messages; a stretch of failures is one line on the timeline when it starts and one when it ends.</summary>
    private readonly RoomDeliveries _deliveries = new(
        records, timeline, time, TeamsSurface.PlatformName, "Teams", room => room.ChannelName is { Length: > 0 } name ? $"the Teams conversation \"{name}\" ({room.ChannelId})" : room.ChannelId, undelivered);

    public async Task PublishAsync(Publication publication, CancellationToken cancellationToken)
    {
        var incident = publication.Incident;
        if (incident.RoomOn(TeamsSurface.PlatformName) is not { } room)
        {
            return;
        }

        if (publication.Declared)
        {
            room = await OpenRoomAsync(publication, room, cancellationToken);
        }
        else if (room.CardMessageId is { } cardId && !publication.CardUnchanged)
        {
            await DeliverAsync(incident.Id, room, () => sender.UpdateAsync(room.ChannelId, cardId, publication.Card, cancellationToken), cancellationToken);
        }

        foreach (var post in publication.Posts)
        {
            await DeliverAsync(incident.Id, room, () => post.UpdateKey is { } key ? PostOrUpdateAsync(incident.Id, key, room.ChannelId, post, cancellationToken) : sender.PostAsync(room.ChannelId, post, cancellationToken), cancellationToken);
        }

        foreach (var direct in publication.Directs)
        {
            if (direct.Message.Kind == MessageKind.Ping)
            {
                await PageAsync(incident.Id, direct, cancellationToken);
            }
            else
            {
                await TryAsync(incident.Id, room, () => DirectAsync(incident.Id, room, direct, cancellationToken), $"The direct message to {direct.PersonName}");
            }
        }
    }

    /// <summary>
    /// The incident's message for <paramref name="key"/> (<see cref="ChatMessage.UpdateKey"/>): sent once, then PUT in
    /// place, also after a restart (the activity id is in the storage file). An activity Teams no longer knows (404:
    /// deleted) is replaced by a fresh one, whose id is kept instead: the progress is never lost.
    /// </summary>
    private async Task PostOrUpdateAsync(string incidentId, string key, string conversationId, ChatMessage message, CancellationToken cancellationToken)
    {
        if (_inPlace.Find(incidentId, key, conversationId) is { } activityId)
        {
            try
            {
                await sender.UpdateAsync(conversationId, activityId, message, cancellationToken);
                return;
            }
            catch (ConnectorException e) when (e.Status == 404)
            {
                log.LogWarning("{IncidentId}: the message for {Key} (activity {ActivityId}) can no longer be updated ({Problem}); sending a fresh one", incidentId, key, activityId, e.Message);
            }
        }

        if (await sender.PostAsync(conversationId, message, cancellationToken) is { Length: > 0 } posted)
        {
            _inPlace.Remember(incidentId, key, conversationId, posted, time.GetUtcNow());
        }
    }

    private async Task<Room> OpenRoomAsync(Publication publication, Room declaredIn, CancellationToken cancellationToken)
    {
        var incident = publication.Incident;
        var declaredConversation = store.Conversation(ConversationIds.Base(declaredIn.ChannelId));
        var channel = options.Value.IncidentChannelId is { Length: > 0 } configured
            ? configured
            : declaredConversation?.ConversationType == "channel" ? ConversationIds.Base(declaredIn.ChannelId) : null;
        Room? opened = null;
        if (channel is not null)
        {
            if (store.Conversation(channel) is null && declaredConversation is not null)
            {
                // The configured channel is in the same tenant and reached through the same service as the declaring one.
                store.Save(new ConversationRecord { Id = channel, ConversationType = "channel", ServiceUrl = declaredConversation.ServiceUrl, TenantId = declaredConversation.TenantId, UpdatedAt = declaredConversation.UpdatedAt });
            }

            try
            {
                var (thread, root) = await sender.StartThreadAsync(channel, publication.Card, cancellationToken);
                opened = new Room { Platform = TeamsSurface.PlatformName, ChannelId = thread, ChannelName = incident.Id, CardMessageId = root };
            }
            catch (Exception e) when (e is ConnectorException or HttpRequestException or BotTokenException)
            {
                log.LogWarning("No Teams thread for {IncidentId}: {Problem}", incident.Id, e.Message);
                await TryAsync(incident.Id, declaredIn, () => sender.PostAsync(declaredIn.ChannelId, ChatMessage.Warn($"I could not start a thread for {incident.Id}: {e.Message}. {incident.Id} stays here and works here."), cancellationToken));
            }
        }

        if (opened is null)
        {
            opened = new Room { Platform = TeamsSurface.PlatformName, ChannelId = declaredIn.ChannelId, ChannelName = declaredIn.ChannelName };
            var room = opened;
            await DeliverAsync(incident.Id, room, async () => room.CardMessageId = await sender.PostAsync(room.ChannelId, publication.Card, cancellationToken), cancellationToken);
        }

        // Remembered on the incident, so commands and messages in the thread find it and a restart keeps updating the card.
        await rooms.AttachRoomAsync(incident.Id, opened, cancellationToken);
        if (opened.ChannelId != declaredIn.ChannelId)
        {
            await TryAsync(incident.Id, declaredIn, () => sender.PostAsync(declaredIn.ChannelId, ChatMessage.Plain($"{incident.Id} is declared: it has its own thread, \"{incident.Id}\", in the incidents channel. Work on it there."), cancellationToken));
        }

        return opened;
    }

    /// <summary>A page in the person's 1:1 chat: one that can't be delivered goes to escalation, which says so in the room and pages the next level now.</summary>
    private async Task PageAsync(string incidentId, DirectMessage page, CancellationToken cancellationToken)
    {
        string? why;
        try
        {
            why = await UndeliverableAsync(page, cancellationToken);
        }
        catch (Exception e) when (e is ConnectorException or HttpRequestException or BotTokenException)
        {
            why = $"the Teams message failed ({e.Message})";
        }

        if (why is not null)
        {
            log.LogWarning("{IncidentId}: the page to {Person} was not delivered in Teams: {Problem}", incidentId, page.PersonName, why);
            await pageFailures.UndeliveredAsync(incidentId, page.PersonName, why, cancellationToken);
        }
    }

    /// <summary>Why the message can't be delivered; null when it was.</summary>
    private async Task<string?> UndeliverableAsync(DirectMessage direct, CancellationToken cancellationToken) =>
        people.TeamsIdOf(direct.PersonName) is not { } teamsId
            ? $"{direct.PersonName} has no TeamsId in the roster"
            : await sender.DirectAsync(teamsId, direct.Message, cancellationToken) is null
                ? $"{direct.PersonName} has not installed IncidentBot in Teams (nor been in a team or chat with it), so the bot can't write to them first"
                : null;

    private async Task DirectAsync(string incidentId, Room room, DirectMessage direct, CancellationToken cancellationToken)
    {
        var why = await UndeliverableAsync(direct, cancellationToken);
        if (why is not null)
        {
            log.LogWarning("Cannot message {Person} in Teams: {Problem}", direct.PersonName, why);
            await DeliverAsync(incidentId, room, () => sender.PostAsync(room.ChannelId, ChatMessage.Warn($"The direct message to {direct.PersonName} could not be delivered: {why}."), cancellationToken), cancellationToken);
        }
    }

    /// <summary>
    /// A message for the incident's room (a post, an update of the card or of an in-place message). A failure counts in
    /// the room's stretch of trouble (<see cref="RoomDeliveries"/>): its first failure goes on the timeline and is tried
    /// once in the room too; later ones are only counted, never posted back to the failing room. The first delivery that
    /// gets through again ends the stretch, on the timeline and in the room.
    /// </summary>
    private async Task DeliverAsync(string incidentId, Room room, Func<Task> delivery, CancellationToken cancellationToken)
    {
        try
        {
            await delivery();
        }
        catch (Exception e) when (e is ConnectorException or HttpRequestException or BotTokenException)
        {
            log.LogWarning("Teams call for {Conversation} failed: {Problem}", room.ChannelId, e.Message);
            // This message's own fault (refused as malformed or too large): the conversation is fine, so no stretch of trouble.
            var aboutTheMessage = e is ConnectorException { Status: 400 or 413 };
            await _deliveries.FailedAsync(incidentId, room, Problem(e), e.Message, aboutTheMessage, sayAboutTheMessage: true, warning => WarnRoomAsync(incidentId, room, warning));
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

        log.LogInformation("{IncidentId}: Teams delivers to {Conversation} again: {Recovered}", incidentId, room.ChannelId, recovered);
        if (!sayInRoom)
        {
            return;
        }

        try
        {
            await sender.PostAsync(room.ChannelId, ChatMessage.Warn(recovered), cancellationToken);
        }
        catch (Exception e) when (e is ConnectorException or HttpRequestException or BotTokenException)
        {
            // The timeline has it; the next failure in the room starts a new stretch of its own.
            log.LogWarning("Could not tell {Conversation} what it missed: {Problem}", room.ChannelId, e.Message);
        }
    }

    /// <summary>The Connector's answer for the timeline (the call and its HTTP status), or what kept the call from Teams. Never a token.</summary>
    private static string Problem(Exception e) => e is HttpRequestException ? $"Teams could not be reached ({e.Message})" : e.Message;

    /// <param name="what">Names what failed when the Connector's error alone wouldn't say ("The direct message to alice").</param>
    private async Task TryAsync(string incidentId, Room room, Func<Task> call, string? what = null)
    {
        try
        {
            await call();
        }
        catch (Exception e) when (e is ConnectorException or HttpRequestException or BotTokenException)
        {
            log.LogWarning("Teams call for {Conversation} failed: {Problem}", room.ChannelId, e.Message);
            if (!_deliveries.IsFailing(incidentId, room.ChannelId))
            {
                await WarnRoomAsync(incidentId, room, ChatMessage.Warn(what is null ? $"{e.Message}." : $"{what} failed: {e.Message}."));
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
            await sender.PostAsync(room.ChannelId, warning, CancellationToken.None);
        }
        catch (Exception again) when (again is ConnectorException or HttpRequestException or BotTokenException)
        {
            log.LogError("Could not report a Teams failure in {Conversation}: {Problem}", room.ChannelId, again.Message);
            return;
        }

        await RecoveredAsync(incidentId, room, sayInRoom: false, CancellationToken.None);
    }
}
