using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;
using IncidentBot.Core.Runbooks;
using IncidentBot.Core.Timeline;
using IncidentBot.Core.Service;

namespace IncidentBot.Core.Approvals;

/// <summary>Runs a read-only check (outside the lock) and posts its result to the incident's room.</summary>
public sealed class CheckService(IncidentService incidents, IEnumerable<ICheckRunner> runners)
{
    // Keyed by the catalogue's runner key; a later registration replaces an earlier one.
    private readonly IReadOnlyDictionary<RunnerKey, ICheckRunner> _runners = runners.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Last());

    public async Task<CheckResult> RunAsync(string incidentId, string check, IReadOnlyDictionary<string, string> with, CancellationToken cancellationToken)
    {
        if (Catalogue.Check(check) is not { } entry)
        {
            return new CheckResult(check, null, $"`{check}` is not a check the bot knows: {string.Join(", ", Catalogue.Checks.Select(c => c.Name))}.", []);
        }

        if (_runners.GetValueOrDefault(entry.Runner) is not { } runner)
        {
            return new CheckResult(check, null, $"`{check}` is not available from the bot: do it by hand.", []);
        }

        try
        {
            return await runner.RunAsync(incidentId, check, with, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new CheckResult(check, null, $"The check could not finish: {e.Message}", []);
        }
    }

    /// <param name="stepId">The runbook step the check is for, if any: its result is recorded on that step.</param>
    public async Task<Outcome> RunAndPostAsync(string incidentId, string check, IReadOnlyDictionary<string, string> with, string? stepId, CancellationToken cancellationToken)
    {
        var result = await RunAsync(incidentId, check, with, cancellationToken);
        var message = ApprovalViews.Check(incidentId, result);
        await PostAsync(incidentId, message, cancellationToken, $"{message.Header}: {result.Summary}");
        return Outcome.Done(message.Header!);
    }

    public Task PostAsync(string incidentId, ChatMessage message, CancellationToken cancellationToken, string? record = null) =>
        incidents.ChangeAsync(incidentId, Actor.Bot, change =>
        {
            change.Record(EntryKind.Action, record ?? message.Text);
            change.Post(message);
            return Outcome.Done(message.Text);
        }, cancellationToken);
}
