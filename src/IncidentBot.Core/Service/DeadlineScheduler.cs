using System.Collections.Concurrent;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.People;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Core.Service;

/// <summary>
/// The one timer of the bot. Asks every <see cref="IDeadlineHandler"/> for the next due time of every open incident,
/// acts on those that have passed (oldest first, each in its own change under the incident's lock, as the bot), then
/// sleeps on <see cref="TimeProvider"/> until the next one or until a change signals a sooner one. Nothing lives only
/// in memory: after a restart the first pass finds whatever fell due while the bot was down.
/// </summary>
public sealed class DeadlineScheduler(
    IncidentService incidents,
    IEnumerable<IDeadlineHandler> handlers,
    DeadlineSignal signal,
    IncidentLocks locks,
    TimeProvider time,
    ILogger<DeadlineScheduler> log) : BackgroundService
{
    private static readonly TimeSpan LongestSleep = TimeSpan.FromHours(1);
    private static readonly TimeSpan AfterFailure = TimeSpan.FromSeconds(30);

    private readonly IReadOnlyList<IDeadlineHandler> _handlers = handlers.ToList();

    // Deadlines whose handler failed or did not move them on, with when to try again, so one bug can't spin the loop.
    private readonly ConcurrentDictionary<(string Incident, int Handler, DateTimeOffset Due), DateTimeOffset> _retryAt = new();

    /// <summary>Raised as the loop goes to sleep, with the deadline it sleeps towards (null: until signalled). For tests.</summary>
    internal event Action<DateTimeOffset?>? Sleeping;

    /// <summary>Acts on every deadline due now. Returns how many were acted on.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        await SettleAsync(cancellationToken);
        var now = time.GetUtcNow();
        var due = Deadlines().Where(d => d.Due <= now).OrderBy(d => d.Due).ThenBy(d => d.Handler).ToList();
        var acted = 0;
        foreach (var (incidentId, index, _, at) in due)
        {
            var handler = _handlers[index];
            try
            {
                var outcome = await incidents.ChangeAsync(incidentId, Actor.Bot, change =>
                {
                    if (!change.Incident.IsOpen || handler.NextDue(change.Incident) is not { } stillDue || stillDue > change.Now)
                    {
                        return Outcome.Refused("no longer due");
                    }

                    handler.OnDue(change);
                    return Outcome.Done($"{handler.GetType().Name} acted");
                }, cancellationToken);

                if (outcome.Succeeded)
                {
                    acted++;
                    _retryAt.TryRemove((incidentId, index, at), out _);
                    if (incidents.Find(incidentId) is { } after && handler.NextDue(after) is { } next && next <= at)
                    {
                        log.LogError("{Handler} did not move its deadline on for {IncidentId}; trying again in {Delay}", handler.GetType().Name, incidentId, AfterFailure);
                        _retryAt[(incidentId, index, next)] = time.GetUtcNow() + AfterFailure;
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                log.LogError(e, "{Handler} failed on {IncidentId}; trying again in {Delay}", handler.GetType().Name, incidentId, AfterFailure);
                _retryAt[(incidentId, index, at)] = time.GetUtcNow() + AfterFailure;
            }
        }

        return acted;
    }

    /// <summary>The earliest deadline of any open incident, or null when nothing is scheduled.</summary>
    public DateTimeOffset? NextDue() => Deadlines().Select(d => (DateTimeOffset?)d.Due).Min();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunDueAsync(stoppingToken);
                var next = NextDue();
                Sleeping?.Invoke(next);
                await SleepAsync(next, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogError(e, "The deadline scheduler failed; trying again in {Delay}", AfterFailure);
                await SleepAsync(time.GetUtcNow() + AfterFailure, stoppingToken);
            }
        }
    }

    private async Task SleepAsync(DateTimeOffset? until, CancellationToken stoppingToken)
    {
        var wait = until is { } at ? at - time.GetUtcNow() : LongestSleep;
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var timer = Task.Delay(wait > LongestSleep ? LongestSleep : wait, time, wake.Token);
        var signalled = signal.WaitAsync(wake.Token);
        await Task.WhenAny(timer, signalled);
        await wake.CancelAsync();
        stoppingToken.ThrowIfCancellationRequested();
    }

    /// <summary>Waits for the changes that signalled to finish committing (they hold the incident's lock until then).</summary>
    private async Task SettleAsync(CancellationToken cancellationToken)
    {
        foreach (var id in signal.Drain())
        {
            using (await locks.AcquireAsync(id, cancellationToken))
            {
            }
        }
    }

    /// <summary>Every deadline of every open incident: when to act (later than stored after a failure) and the stored due time.</summary>
    private IEnumerable<(string Incident, int Handler, DateTimeOffset Due, DateTimeOffset Stored)> Deadlines()
    {
        foreach (var incident in incidents.List(openOnly: true))
        {
            for (var i = 0; i < _handlers.Count; i++)
            {
                if (_handlers[i].NextDue(incident) is { } due)
                {
                    yield return (incident.Id, i, _retryAt.TryGetValue((incident.Id, i, due), out var retry) && retry > due ? retry : due, due);
                }
            }
        }
    }
}
