namespace IncidentBot.Core.Escalation;

/// <summary>
/// What a chat adapter calls when a page could not be delivered to a person (no platform id, DM refused, platform
/// down): the room is told who was not reached, the timeline has it, and the chain moves to the next level at once.
/// </summary>
public interface IPageFailures
{
    Task UndeliveredAsync(string incidentId, string person, string why, CancellationToken cancellationToken);
}
