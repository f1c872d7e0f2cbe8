using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Core.Escalation;

/// <summary>
/// A page that did not reach its person, applied under the incident's lock: said in the room and on the timeline, and
/// the level after the one that person was paged at is paged now, as <c>/incident escalate</c> would. When the chain is
/// already past that level (a second person at the level could not be reached either, or someone escalated by hand)
/// the person is still named but nobody more is paged: the chain moves once per level. Nothing happens when the
/// incident no longer pages (acknowledged, resolved); the same person at the same level is handled once however often
/// the adapter reports it.
/// </summary>
/// <remarks>
/// Adapters report from their outbound work, and the incident service publishes to those adapters, so the report is
/// a queue with no dependencies: <see cref="PageFailureWorker"/> applies each failure through the incident service,
/// and <see cref="UndeliveredAsync"/> completes once it has been applied. No container lookup breaks a cycle here.
/// </remarks>
public sealed class PageFailures : IPageFailures
{
    private readonly Channel<Failure> _failures = Channel.CreateUnbounded<Failure>(new UnboundedChannelOptions { SingleReader = true });

    public async Task UndeliveredAsync(string incidentId, string person, string why, CancellationToken cancellationToken)
    {
        var failure = new Failure(incidentId, person, why, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _failures.Writer.TryWrite(failure);
        await failure.Applied.Task.WaitAsync(cancellationToken);
    }

    internal ChannelReader<Failure> Reader => _failures.Reader;

    /// <summary>The rule itself; refuses (so nothing is saved or posted) when there is nothing to do.</summary>
    public static Outcome Apply(IncidentChange change, string person, string why)
    {
        var incident = change.Incident;
        if (!incident.IsOpen || incident.Escalation is not { } state || state.StoppedBecause is not null)
        {
            return Outcome.Refused($"{incident.Id} no longer pages anyone.");
        }

        var ping = state.Pings.LastOrDefault(p => p.Chain == state.Chain && p.People.Contains(person, StringComparer.OrdinalIgnoreCase));
        if (ping is null)
        {
            return Outcome.Refused($"{person} was not paged in the current chain of {incident.Id}.");
        }

        var key = $"{ping.Chain}/{ping.Round}/{ping.Level}/{person.ToLowerInvariant()}";
        if (state.Undelivered.Contains(key))
        {
            return Outcome.Refused($"{person}'s page at level {ping.Level} of {incident.Id} is already dealt with.");
        }

        // The chain moves on once per level: for the first person there who could not be reached. Everyone else who
        // could not be reached is still named, in the room and on the timeline, so no failed page goes unsaid.
        var stillThere = ping.Round == state.Round && ping.Level == state.Level;
        state.Undelivered.Add(key);
        var more = state.Level + 1 <= state.Policy.Levels.Count;
        var said = $"Could not reach {person}: {why}. " + (stillThere
            ? more ? "Paging the next level now." : "There is no further level to page."
            : $"Level {state.Level} of {state.Policy.Levels.Count} is already paged.");
        change.Record(EntryKind.Escalation, said);
        change.Post(ChatMessage.Warn(said));
        if (stillThere && more)
        {
            EscalationChain.PageNextNow(change, state, $"{person} could not be reached", byHand: null);
        }

        return Outcome.Done(said);
    }
}

internal sealed record Failure(string IncidentId, string Person, string Why, TaskCompletionSource Applied);

/// <summary>Applies reported page failures, one at a time, each under its incident's lock; stops with the host.</summary>
public sealed class PageFailureWorker(PageFailures failures, IncidentService incidents, ILogger<PageFailureWorker> log) : BackgroundService
{
    public static Task ApplyAsync(IncidentService incidents, string incidentId, string person, string why, CancellationToken cancellationToken) =>
        incidents.ChangeAsync(incidentId, Actor.Bot, change => PageFailures.Apply(change, person, why), cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var failure in failures.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await ApplyAsync(incidents, failure.IncidentId, failure.Person, failure.Why, stoppingToken);
                failure.Applied.TrySetResult();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                failure.Applied.TrySetCanceled(stoppingToken);
                throw;
            }
            catch (Exception e)
            {
                log.LogError(e, "The failed page to {Person} on {Incident} could not be recorded", failure.Person, failure.IncidentId);
                failure.Applied.TrySetException(e);
            }
        }
    }
}
