using System.Threading.Channels;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Teams.Outbound;

/// <summary>One piece of Teams work: a publication to carry to Teams, or any other Connector work (a reply, a card update).</summary>
public sealed record TeamsWork(string What, Publication? Publication, Func<CancellationToken, Task>? Run);

/// <summary>
/// Connector work queued by whoever must answer fast (the surface under the incident lock, the endpoint within
/// Teams' time limit). One worker runs it in order, so a card is posted before it is updated.
/// </summary>
public sealed class TeamsWorkQueue
{
    private readonly Channel<TeamsWork> _items = Channel.CreateUnbounded<TeamsWork>(new UnboundedChannelOptions { SingleReader = true });

    public void Publish(Publication publication) => _items.Writer.TryWrite(new TeamsWork($"publish {publication.Incident.Id}", publication, null));

    public void Enqueue(string what, Func<CancellationToken, Task> work) => _items.Writer.TryWrite(new TeamsWork(what, null, work));

    internal ChannelReader<TeamsWork> Reader => _items.Reader;
}
