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
    ILogger<TeamsPublisher> log)
{
    /// <summary>The activity id of each in-place message (<see cref="ChatMessage.UpdateKey"/>) by incident and key.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Incident, string Key), string> _updatable = new();

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
            await TryAsync(room, () => sender.UpdateAsync(room.ChannelId, cardId, publication.Card, cancellationToken));
        }

        foreach (var post in publication.Posts)
        {
            await TryAsync(room, () => post.UpdateKey is { } key ? PostOrUpdateAsync(incident.Id, key, room.ChannelId, post, cancellationToken) : sender.PostAsync(room.ChannelId, post, cancellationToken));
        }

        foreach (var direct in publication.Directs)
        {
            if (direct.Message.Kind == MessageKind.Ping)
            {
                await PageAsync(incident.Id, direct, cancellationToken);
            }
            else
            {
                await TryAsync(room, () => DirectAsync(room, direct, cancellationToken), $"The direct message to {direct.PersonName}");
            }
        }
    }

    /// <summary>The incident's message for <paramref name="key"/> (<see cref="ChatMessage.UpdateKey"/>): sent once, then PUT in place.</summary>
    private async Task PostOrUpdateAsync(string incidentId, string key, string conversationId, ChatMessage message, CancellationToken cancellationToken)
    {
        if (_updatable.TryGetValue((incidentId, key), out var activityId))
        {
            await sender.UpdateAsync(conversationId, activityId, message, cancellationToken);
        }
        else if (await sender.PostAsync(conversationId, message, cancellationToken) is { Length: > 0 } posted)
        {
            _updatable[(incidentId, key)] = posted;
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
                await TryAsync(declaredIn, () => sender.PostAsync(declaredIn.ChannelId, ChatMessage.Warn($"I could not start a thread for {incident.Id}: {e.Message}. {incident.Id} stays here and works here."), cancellationToken));
            }
        }

        if (opened is null)
        {
            opened = new Room { Platform = TeamsSurface.PlatformName, ChannelId = declaredIn.ChannelId, ChannelName = declaredIn.ChannelName };
            try
            {
                opened.CardMessageId = await sender.PostAsync(opened.ChannelId, publication.Card, cancellationToken);
            }
            catch (Exception e) when (e is ConnectorException or HttpRequestException or BotTokenException)
            {
                log.LogWarning("The card of {IncidentId} could not be posted in Teams: {Problem}", incident.Id, e.Message);
            }
        }

        // Remembered on the incident, so commands and messages in the thread find it and a restart keeps updating the card.
        await rooms.AttachRoomAsync(incident.Id, opened, cancellationToken);
        if (opened.ChannelId != declaredIn.ChannelId)
        {
            await TryAsync(declaredIn, () => sender.PostAsync(declaredIn.ChannelId, ChatMessage.Plain($"{incident.Id} is declared: it has its own thread, \"{incident.Id}\", in the incidents channel. Work on it there."), cancellationToken));
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

    private async Task DirectAsync(Room room, DirectMessage direct, CancellationToken cancellationToken)
    {
        var why = await UndeliverableAsync(direct, cancellationToken);
        if (why is not null)
        {
            log.LogWarning("Cannot message {Person} in Teams: {Problem}", direct.PersonName, why);
            await TryAsync(room, () => sender.PostAsync(room.ChannelId, ChatMessage.Warn($"The direct message to {direct.PersonName} could not be delivered: {why}."), cancellationToken));
        }
    }

    /// <param name="what">Names what failed when the Connector's error alone wouldn't say ("The direct message to alice").</param>
    private async Task TryAsync(Room room, Func<Task> call, string? what = null)
    {
        try
        {
            await call();
        }
        catch (Exception e) when (e is ConnectorException or HttpRequestException or BotTokenException)
        {
            log.LogWarning("Teams call for {Conversation} failed: {Problem}", room.ChannelId, e.Message);
            try
            {
                await sender.PostAsync(room.ChannelId, ChatMessage.Warn(what is null ? $"{e.Message}." : $"{what} failed: {e.Message}."), CancellationToken.None);
            }
            catch (Exception again) when (again is ConnectorException or HttpRequestException or BotTokenException)
            {
                log.LogError("Could not report a Teams failure in {Conversation}: {Problem}", room.ChannelId, again.Message);
            }
        }
    }
}
