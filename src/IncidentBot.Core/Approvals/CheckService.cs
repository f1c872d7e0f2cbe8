using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;
using IncidentBot.Core.Timeline;
using IncidentBot.Core.Service;

namespace IncidentBot.Core.Approvals;

/// <summary>Runs a read-only check (outside the lock) and posts its result to the incident's room.</summary>
public sealed class CheckService(IncidentService incidents, IEnumerable<ICheckRunner> runners)
{
    private readonly IReadOnlyList<ICheckRunner> _runners = runners.ToList();

    public async Task<CheckResult> RunAsync(string incidentId, string check, IReadOnlyDictionary<string, string> with, CancellationToken cancellationToken)
    {
        var runner = _runners.FirstOrDefault(r => r.Handles(check));
        if (runner is null)
        {
            return new CheckResult(check, null, $"`{check}` is not available from the bot yet: do it by hand.", []);
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

    public async Task<Outcome> RunAndPostAsync(string incidentId, string check, IReadOnlyDictionary<string, string> with, CancellationToken cancellationToken)
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
