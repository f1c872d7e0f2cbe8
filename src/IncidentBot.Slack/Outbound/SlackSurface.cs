using IncidentBot.Core;
using IncidentBot.Core.Messaging;
using IncidentBot.Slack.Inbound;

namespace IncidentBot.Slack.Outbound;

/// <summary>
/// Slack as a chat platform. The service calls it under the incident's lock, so it only queues the publication
/// (with who caused it) for <see cref="SlackPublisher"/> and returns at once.
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

        var invocation = SlackInvocation.Current;
        queue.Enqueue($"publish {publication.Incident.Id}", ct => publisher.PublishAsync(publication, invocation, ct));
        return Task.CompletedTask;
    }
}
