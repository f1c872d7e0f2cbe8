using IncidentBot.Core;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Slack.Outbound;

/// <summary>
/// Slack as a chat platform. The service calls it under the incident's lock, so it only queues the publication
/// (which carries who caused it, when that was someone in Slack) for <see cref="SlackPublisher"/> and returns at once.
/// </summary>
public sealed class SlackSurface(SlackWorkQueue queue, SlackPublisher publisher) : IChatSurface
{
    public const string PlatformName = "slack";

    public string Platform => PlatformName;

    public Task PublishAsync(Publication publication, CancellationToken cancellationToken)
    {
        if (publication.Incident.RoomOn(PlatformName) is null && !publisher.Knows(publication.Incident.Id))
        {
            return Task.CompletedTask; // not an incident that lives in Slack
        }

        // Only a Slack user can be answered in Slack: a change typed in the shell or caused by a timer reports to the room.
        var origin = publication.Origin is { Platform: PlatformName } o ? o : null;
        queue.Enqueue(publication.Incident.Id, $"publish {publication.Incident.Id}", ct => publisher.PublishAsync(publication, origin, ct));
        return Task.CompletedTask;
    }
}
