using IncidentBot.Core;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Tests.Escalation.Support;

/// <summary>A chat platform that remembers every publication and lets a test await one; the timeout only guards against a hang.</summary>
public sealed class EscalationRecorder : IChatSurface
{
    private readonly Lock _gate = new();
    private readonly List<Publication> _publications = [];
    private readonly List<(Func<IReadOnlyList<Publication>, bool> Until, TaskCompletionSource Done)> _waiters = [];

    public string Platform => "recorder";

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

    public Task PublishAsync(Publication publication, CancellationToken cancellationToken)
    {
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

    public Task WaitForAsync(Func<IReadOnlyList<Publication>, bool> until)
    {
        lock (_gate)
        {
            if (until(_publications))
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((until, done));
            return done.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }
    }
}
