using System.Collections.Concurrent;

namespace IncidentBot.Core.Service;

/// <summary>One async lock per incident id, so a button, a command and a timer never interleave on the same incident.</summary>
public sealed class IncidentLocks
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.OrdinalIgnoreCase);

    public async Task<IDisposable> AcquireAsync(string incidentId, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(incidentId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
