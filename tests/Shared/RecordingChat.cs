using IncidentBot.Core;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Tests.Support;

/// <summary>
/// A chat platform that remembers what it was asked to publish and lets a test await a publication (the timeout
/// only guards against a hang). <see cref="CrashOnNextPing"/> dies while sending a page. Shared by every test project.
/// </summary>
public sealed class RecordingChat(string platform = "test") : IChatSurface
{
    private readonly Lock _gate = new();
    private readonly List<Publication> _publications = [];
    private readonly List<Waiter> _waiters = [];

    public string Platform => platform;

    public bool CrashOnNextPing { get; set; }

    public IReadOnlyList<Publication> Publications
    {
        get
        {
            lock (_gate)
            {
                return [.. _publications];
            }
        }
    }

    /// <summary>Every post to an incident's room, in order.</summary>
    public IReadOnlyList<ChatMessage> Posts => Publications.SelectMany(p => p.Posts).ToList();

    /// <summary>Every direct message sent.</summary>
    public IReadOnlyList<DirectMessage> Directs => Publications.SelectMany(p => p.Directs).ToList();

    public Task PublishAsync(Publication publication, CancellationToken cancellationToken)
    {
        if (CrashOnNextPing && publication.Directs.Count > 0)
        {
            CrashOnNextPing = false;
            // What the process dying mid-send looks like from here: the change is committed, the send never happens.
            throw new OperationCanceledException("simulated crash while sending a page");
        }

        lock (_gate)
        {
            _publications.Add(publication);
            foreach (var waiter in _waiters.Where(w => w.Until(_publications)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult();
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Completes once what was published satisfies <paramref name="until"/>; the timeout only guards against a hang.</summary>
    public Task WaitForAsync(Func<IReadOnlyList<Publication>, bool> until)
    {
        lock (_gate)
        {
            if (until(_publications))
            {
                return Task.CompletedTask;
            }

            var waiter = new Waiter(until, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            _waiters.Add(waiter);
            return waiter.Done.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }
    }

    private sealed record Waiter(Func<IReadOnlyList<Publication>, bool> Until, TaskCompletionSource Done);
}
