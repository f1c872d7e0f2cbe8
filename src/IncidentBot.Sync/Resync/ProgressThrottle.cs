namespace IncidentBot.Sync.Resync;

/// <summary>Lets a progress report through at most once per interval of the given clock (forced ones always).</summary>
public sealed class ProgressThrottle(TimeProvider time, TimeSpan interval)
{
    private DateTimeOffset? _last;

    /// <summary>Whether <see cref="Due"/> would let a report through now, without taking the turn.</summary>
    public bool IsDue(bool force) => force || _last is not { } last || time.GetUtcNow() - last >= interval;

    public bool Due(bool force)
    {
        if (!IsDue(force))
        {
            return false;
        }

        _last = time.GetUtcNow();
        return true;
    }
}
