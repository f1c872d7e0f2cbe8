using IncidentBot.Core.Approvals;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncidentBot.Clerk.Status;

/// <summary>
/// While an auth-outage or performance incident is open, reads Clerk's status page every Clerk:StatusWatchEvery and
/// posts in the incident's room (and on its timeline) when the state changes: degraded, outage, recovered. The first
/// reading for an incident is posted as the starting point. An unreadable page changes nothing: the last state read
/// stands. What was last seen is kept in memory, so after a restart the next reading is posted as a new starting point.
/// </summary>
public sealed class ClerkStatusWatch(
    IncidentService incidents,
    StatusPageReader statusPage,
    IOptions<ClerkOptions> options,
    TimeProvider time,
    ILogger<ClerkStatusWatch> log) : BackgroundService
{
    public static readonly IReadOnlySet<string> Categories = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "auth-outage", "performance" };

    private readonly Dictionary<string, ServiceState> _seen = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _reading = new(1, 1);

    private PeriodicTimer? _timer;

    /// <summary>The timer starts here, not in ExecuteAsync (which runs on its own task): the first reading is due one interval after start.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var every = options.Value.StatusWatchEvery;
        if (every <= TimeSpan.Zero)
        {
            log.LogInformation("Clerk status watch is off (Clerk:StatusWatchEvery is 0)");
            return Task.CompletedTask;
        }

        // A periodic timer remembers a tick that fell due while a reading was still going on.
        _timer = new PeriodicTimer(every, time);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_timer is not { } timer)
        {
            return;
        }

        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await PollAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    log.LogError(e, "Clerk status watch: one reading failed; trying again in {Every}", options.Value.StatusWatchEvery);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        _reading.Dispose();
        base.Dispose();
    }

    /// <summary>One reading: skipped while no watched incident is open. Readings never overlap.</summary>
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        await _reading.WaitAsync(cancellationToken);
        try
        {
            await ReadAndPostAsync(cancellationToken);
        }
        finally
        {
            _reading.Release();
        }
    }

    private async Task ReadAndPostAsync(CancellationToken cancellationToken)
    {
        var watched = incidents.List(openOnly: true).Where(i => i.IsOpen && Categories.Contains(i.Category)).Select(i => i.Id).ToList();
        foreach (var gone in _seen.Keys.Except(watched, StringComparer.OrdinalIgnoreCase).ToList())
        {
            _seen.Remove(gone);
        }

        if (watched.Count == 0)
        {
            return;
        }

        var report = await statusPage.ReadAsync(cancellationToken);
        foreach (var id in watched)
        {
            var before = _seen.TryGetValue(id, out var seen) ? seen : (ServiceState?)null;
            if (report.State == ServiceState.Unknown && before is not null)
            {
                continue;
            }

            if (before == report.State)
            {
                continue;
            }

            var word = "";
            var outcome = await incidents.ChangeAsync(id, Actor.Bot, change =>
            {
                if (!change.Incident.IsOpen)
                {
                    return Outcome.Refused($"{id} is no longer open.");
                }

                (word, var message) = Describe(id, before, report, bypassOn: change.Incident.Switch(SwitchOn.EmergencyBypass) is not null);
                change.Record(EntryKind.Action, $"Clerk status watch: {word}. {report.Summary}");
                change.Post(message);
                return Outcome.Done(word);
            }, cancellationToken);
            if (outcome.Succeeded)
            {
                _seen[id] = report.State;
                log.LogInformation("Clerk status watch: {Incident}: {Word}", id, word);
            }
        }
    }

    private (string Word, ChatMessage Message) Describe(string incidentId, ServiceState? before, StatusReport report, bool bypassOn)
    {
        var now = Name(report.State);
        var (word, text) = (before, report.State) switch
        {
            (null, _) => ($"watching, {now} now", $"The bot reads Clerk's status page every {Every()} while {incidentId} is open and posts here when it changes. Now: {now}."),
            (ServiceState.Degraded or ServiceState.Outage, ServiceState.Operational) =>
                ("recovered", $"Clerk's status page reads operational again (was {Name(before.Value)})."
                    + (bypassOn ? " The emergency bypass is still ON: check that sign-in works, then turn it off." : "")),
            (_, ServiceState.Operational) => ("operational", $"Clerk's status page reads operational (was {Name(before.Value)})."),
            (ServiceState.Outage, ServiceState.Degraded) => ("degraded", "Clerk's status page went from outage to degraded."),
            (_, ServiceState.Degraded) => ("degraded", $"Clerk's status page reads degraded (was {Name(before.Value)})."),
            (_, ServiceState.Outage) => ("outage", $"Clerk's status page reads outage (was {Name(before.Value)})."),
            _ => (now, $"Clerk's status page reads {now}."),
        };
        var lines = new List<string> { text, report.Summary };
        lines.AddRange(report.Details.Take(10).Select(d => $"- {d}"));
        return (word, new ChatMessage
        {
            Kind = report.State is ServiceState.Degraded or ServiceState.Outage ? MessageKind.Warning : MessageKind.Info,
            Header = $"{incidentId} · Clerk status: {word}",
            Text = string.Join('\n', lines),
        });
    }

    private string Every() => options.Value.StatusWatchEvery is var e && e.TotalMinutes >= 1 && e.Seconds == 0
        ? $"{e.TotalMinutes:0} minute{(e.TotalMinutes == 1 ? "" : "s")}"
        : $"{e.TotalSeconds:0} seconds";

    private static string Name(ServiceState state) => state switch
    {
        ServiceState.Operational => "operational",
        ServiceState.Degraded => "degraded",
        ServiceState.Outage => "outage",
        _ => "unknown (the page can't be read)",
    };
}
