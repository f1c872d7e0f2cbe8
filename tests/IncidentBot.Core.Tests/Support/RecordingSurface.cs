using IncidentBot.Tests.Support;
using System.Collections.Concurrent;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Core.Tests.Support;

/// <summary>A chat platform that keeps what it was asked to publish.</summary>
public sealed class RecordingSurface : IChatSurface
{
    public ConcurrentQueue<Publication> Publications { get; } = new();

    public string Platform => "test";

    public IEnumerable<ChatMessage> Posts => Publications.SelectMany(p => p.Posts);

    public Task PublishAsync(Publication publication, CancellationToken cancellationToken)
    {
        Publications.Enqueue(publication);
        return Task.CompletedTask;
    }
}
