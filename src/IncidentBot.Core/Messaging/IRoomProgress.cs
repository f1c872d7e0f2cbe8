namespace IncidentBot.Core.Messaging;

/// <summary>
/// A running action's voice in its incident's room, for work that outlives one change (a resync of 100,000 users):
/// one progress message per key, posted once and then updated in place, and notes that go on the timeline too.
/// </summary>
public interface IRoomProgress
{
    /// <summary>Shows <paramref name="message"/> as the room's message for <paramref name="key"/>: posted the first time, updated in place after. Not on the timeline.</summary>
    Task ShowAsync(string incidentId, string key, ChatMessage message, CancellationToken cancellationToken);

    /// <summary>Records <paramref name="text"/> on the timeline (by the bot) and posts it in the room.</summary>
    Task NoteAsync(string incidentId, string text, CancellationToken cancellationToken);
}
