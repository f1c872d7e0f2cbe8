using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Teams.Tests.Support;

/// <summary>A FakeTimeProvider that reports every timer created on it, so a test can advance time exactly when the code waits.</summary>
public sealed class ObservedTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Forgets the timers created so far, so <see cref="NextTimerAsync"/> reports only those created after this call.</summary>
    public void ForgetTimers()
    {
        while (_timers.Reader.TryRead(out _))
        {
        }
    }

    /// <summary>The due time of the next timer the code creates.</summary>
    public async Task<TimeSpan> NextTimerAsync() => await _timers.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));
}
