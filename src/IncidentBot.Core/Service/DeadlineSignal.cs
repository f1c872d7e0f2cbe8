using System.Collections.Concurrent;

namespace IncidentBot.Core.Service;

/// <summary>
/// Tells the <see cref="DeadlineScheduler"/> that an incident changed, so a deadline sooner than the one it sleeps
/// towards is not missed. Raised under the incident's lock, before the commit; the scheduler takes that lock before
/// it looks, so it always sees the committed deadline.
/// </summary>
public sealed class DeadlineSignal : IIncidentReactor
{
    private readonly ConcurrentDictionary<string, byte> _touched = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void AfterChange(IncidentChange change) => Touch(change.Incident.Id);

    public void Touch(string incidentId)
    {
        _touched[incidentId] = 0;
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up covers every change since.
        }
    }

    /// <summary>The incidents touched since the last call.</summary>
    internal IReadOnlyList<string> Drain()
    {
        var ids = _touched.Keys.ToList();
        foreach (var id in ids)
        {
            _touched.TryRemove(id, out _);
        }

        return ids;
    }

    internal Task WaitAsync(CancellationToken cancellationToken) => _wake.WaitAsync(cancellationToken);
}
