using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Service;

/// <summary>Progress through the service: shown without changing the incident, notes as an ordinary change by the bot.</summary>
public sealed class RoomProgress(IncidentService incidents) : IRoomProgress
{
    public Task ShowAsync(string incidentId, string key, ChatMessage message, CancellationToken cancellationToken) =>
        incidents.AnnounceAsync(incidentId, message with { UpdateKey = key }, cancellationToken);

    public async Task NoteAsync(string incidentId, string text, CancellationToken cancellationToken) =>
        await incidents.ChangeAsync(incidentId, Actor.Bot, change =>
        {
            change.Record(EntryKind.Action, text, Actor.Bot.Name);
            change.Post(ChatMessage.Plain(text));
            return Outcome.Done(text);
        }, cancellationToken);
}
