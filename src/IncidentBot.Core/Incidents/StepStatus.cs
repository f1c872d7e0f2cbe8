using IncidentBot.Core.Approvals;
using IncidentBot.Core.Runbooks;

namespace IncidentBot.Core.Incidents;

/// <summary>How a check or action step stands: what its check found, or how its request ended.</summary>
public enum StepState
{
    /// <summary>Nothing was run or requested for it yet.</summary>
    NotStarted,
    Waiting,
    Running,
    RanOk,
    RanPartly,
    RanFailed,
    Denied,
    Expired,
    Withdrawn,
    Interrupted,

    /// <summary>The bot could not make the request at all (Clerk not configured, an unknown user, ...).</summary>
    Refused,

    /// <summary>A check step whose check ran: <see cref="StepStatus.Text"/> says what it found.</summary>
    Checked,
}

/// <summary>A step's outcome as a value, with the sentence that says it ("A1 was denied by bob (not now)").</summary>
public sealed record StepStatus(StepState State, string Text, string? ApprovalId = null)
{
    /// <summary>The status of a check or action step the bot automates; null for manual and choice steps and those done by hand.</summary>
    public static StepStatus? Of(Incident incident, RunbookStep step)
    {
        if (!StepAutomation.Runs(step))
        {
            return null;
        }

        var run = incident.StepRuns.FirstOrDefault(r => r.StepId == step.Id);
        if (step.Kind == StepKind.Check)
        {
            return run?.CheckVerdict is { } verdict
                ? new StepStatus(StepState.Checked, $"check {step.Check}: {verdict} ({run.CheckSummary?.TrimEnd('.')})")
                : new StepStatus(StepState.NotStarted, $"check {step.Check} has not reported yet");
        }

        var request = incident.Approvals.LastOrDefault(a => a.StepId == step.Id);
        if (request is null || (run?.Refusal is not null && run.At > request.RequestedAt))
        {
            return run?.Refusal is { } why
                ? new StepStatus(StepState.Refused, $"the bot could not request it: {why}")
                : new StepStatus(StepState.NotStarted, "nothing was requested for it yet");
        }

        var failed = request.Results.Count(r => !r.Succeeded);
        var denial = request.Decisions.LastOrDefault(d => !d.Approved);
        return request.State switch
        {
            ApprovalState.Pending => new(StepState.Waiting, $"{request.Id} is still waiting for approval", request.Id),
            ApprovalState.Running => new(StepState.Running, $"{request.Id} is still running", request.Id),
            ApprovalState.Done => new(StepState.RanOk, $"{request.Id} ran ok", request.Id),
            ApprovalState.PartlyDone => new(StepState.RanPartly, $"{request.Id} ran but did NOT finish: {failed} of {request.Results.Count} targets failed", request.Id),
            ApprovalState.Failed => new(StepState.RanFailed, $"{request.Id} ran and failed for {(request.Results.Count == 1 ? "its target" : $"all {request.Results.Count} targets")}", request.Id),
            ApprovalState.Denied => new(StepState.Denied, $"{request.Id} was denied by {denial?.By}{(denial?.Reason is { Length: > 0 } reason ? $" ({reason})" : "")}", request.Id),
            ApprovalState.Expired => new(StepState.Expired, $"{request.Id} expired unapproved", request.Id),
            ApprovalState.Withdrawn => new(StepState.Withdrawn, $"{request.Id} was withdrawn", request.Id),
            ApprovalState.Interrupted => new(StepState.Interrupted, $"{request.Id} was interrupted by a restart", request.Id),
            _ => throw new ArgumentOutOfRangeException(nameof(incident), request.State, "an approval state without a step status"),
        };
    }

    /// <summary>The command that requests the step's action again, e.g. <c>/incident revoke INC-1</c>.</summary>
    public static string RequestAgain(Incident incident, RunbookStep step)
    {
        var entry = Catalogue.RequiredAction(step.Action!);
        return entry.Name == "hook"
            ? $"`/incident hook {incident.Id} {step.With.GetValueOrDefault("name")}`"
            : $"`/incident {entry.Command} {incident.Id}`";
    }
}

/// <summary>What the bot did for a check or action step, kept on the incident: the check's verdict, or why it could not request the action.</summary>
public sealed class StepRun
{
    public string StepId { get; set; } = "";

    public DateTimeOffset At { get; set; }

    /// <summary>ok, PROBLEM or unknown.</summary>
    public string? CheckVerdict { get; set; }

    public string? CheckSummary { get; set; }

    public string? Refusal { get; set; }
}
