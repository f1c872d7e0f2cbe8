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

    /// <param name="stepId">
    /// The runbook step the check is for: its verdict is recorded on that step. Without one, a check run by hand counts for
    /// the current step when that step is the same check.
    /// </param>
    public async Task<Outcome> RunAndPostAsync(string incidentId, string check, IReadOnlyDictionary<string, string> with, string? stepId, CancellationToken cancellationToken)
    {
        var result = await RunAsync(incidentId, check, with, cancellationToken);
        var message = ApprovalViews.Check(incidentId, result);
        await incidents.ChangeAsync(incidentId, Actor.Bot, change =>
        {
            var step = stepId is null
                ? change.Incident.CurrentStep(change.Runbook) is { Kind: StepKind.Check } current && current.Check == check ? current : null
                : change.Runbook.FindStep(stepId);
            if (step is not null)
            {
                var run = change.Incident.RunOf(step.Id, change.Now);
                run.CheckVerdict = ApprovalViews.Verdict(result);
                run.CheckSummary = result.Summary;
            }

            change.Record(EntryKind.Action, $"{message.Header}: {result.Summary}");
            change.Post(message);
            return Outcome.Done(message.Header!);
        }, cancellationToken);
        return Outcome.Done(message.Header!);
    }

    public Task PostAsync(string incidentId, ChatMessage message, CancellationToken cancellationToken) =>
        incidents.ChangeAsync(incidentId, Actor.Bot, change =>
        {
            change.Record(EntryKind.Action, message.Text);
            change.Post(message);
            return Outcome.Done(message.Text);
        }, cancellationToken);
}
