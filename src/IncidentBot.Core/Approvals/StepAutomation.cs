using IncidentBot.Core.Incidents;
using IncidentBot.Core.People;
using IncidentBot.Core.Runbooks;
using IncidentBot.Core.Service;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Core.Approvals;

/// <summary>
/// When a check step becomes current the bot runs the check and posts its result; when an action step does, it
/// posts the approval request. Both are slow, so they start after the change is saved, outside the lock.
/// </summary>
public sealed class StepAutomation(BackgroundWork work, Lazy<ApprovalService> approvals, Lazy<CheckService> checks) : IIncidentReactor
{
    public static bool Runs(RunbookStep step) =>
        (step.Kind == StepKind.Check && step.Check is { } check && !check.StartsWith("sync.", StringComparison.Ordinal))
        || (step.Kind == StepKind.Action && step.Action is { } action && !action.StartsWith("sync.", StringComparison.Ordinal));

    public void AfterChange(IncidentChange change)
    {
        var incident = change.Incident;
        var step = incident.CurrentStep(change.Runbook);
        if (step is null || !incident.IsOpen || !Runs(step) || incident.AutomatedSteps.Contains(step.Id))
        {
            return;
        }

        // An action waits until someone has taken the incident on; a check can run straight away.
        if (step.Kind == StepKind.Action && incident.State == IncidentState.Declared)
        {
            return;
        }

        incident.AutomatedSteps.Add(step.Id);
        var id = incident.Id;
        if (step.Kind == StepKind.Check)
        {
            work.Start($"check {step.Check} for {id}", ct => checks.Value.RunAndPostAsync(id, step.Check!, step.With, ct));
            return;
        }

        // Whoever moved the runbook onto the step asked for its action: they can't approve a destructive one themselves.
        var requester = change.Actor;
        var parameters = new Dictionary<string, string>(step.With);
        work.Start($"request {step.Action} for {id}", async ct =>
        {
            var outcome = await approvals.Value.RequestAsync(id, requester, null, step.Action!, [], parameters, false, step.Id, ct);
            if (!outcome.Succeeded)
            {
                await checks.Value.PostAsync(id, Messaging.ChatMessage.Warn($"Step {step.Title}: the bot could not request `{IncidentViews.Describe(step)}`: {outcome.Message}"), ct);
            }
        });
    }
}

/// <summary>Work started after a change, outside the incident's lock; tests and the shell can wait for it to finish.</summary>
public sealed class BackgroundWork(ILogger<BackgroundWork> log)
{
    private readonly Lock _gate = new();
    private readonly List<Task> _running = [];

    public void Start(string what, Func<CancellationToken, Task> work)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                await work(CancellationToken.None);
            }
            catch (Exception e)
            {
                log.LogError(e, "Background work failed: {What}", what);
            }
        });
        lock (_gate)
        {
            _running.RemoveAll(t => t.IsCompleted);
            _running.Add(task);
        }
    }

    /// <summary>Waits until all work started so far (and any it started) has finished.</summary>
    public async Task IdleAsync()
    {
        while (true)
        {
            Task[] pending;
            lock (_gate)
            {
                pending = _running.Where(t => !t.IsCompleted).ToArray();
            }

            if (pending.Length == 0)
            {
                return;
            }

            await Task.WhenAll(pending);
        }
    }
}
