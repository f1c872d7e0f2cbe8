using IncidentBot.Core;
using IncidentBot.Core.Messaging;
using IncidentBot.Teams.Outbound;

namespace IncidentBot.Teams.Bridge;

/// <summary>
/// Teams as a chat platform. The service calls it under the incident's lock, so it only queues the publication for
/// <see cref="TeamsPublisher"/> (run by the worker) and returns at once.
/// </summary>
public sealed class TeamsSurface(TeamsWorkQueue queue) : IChatSurface
{
    public const string PlatformName = "teams";

    public string Platform => PlatformName;

    public Task PublishAsync(Publication publication, CancellationToken cancellationToken)
    {
        if (publication.Incident.RoomOn(PlatformName) is not null)
        {
            queue.Publish(publication);
        }

        return Task.CompletedTask;
    }
}
