namespace IncidentBot.Core.Approvals;

/// <summary>What an action request asks for, before it is resolved: raw targets as typed (ids or emails) and parameters.</summary>
public sealed record ActionAsk(string IncidentId, string Action, IReadOnlyList<string> Targets, IReadOnlyDictionary<string, string> Parameters);

/// <summary>
/// What an action will do, worked out before anyone approves it: the targets resolved, what is already done,
/// whether it is destructive. <paramref name="Refusal"/> says why it can't be requested at all (Clerk not
/// configured, an unknown user, a bad key).
/// </summary>
/// <param name="Parameters">Facts the gate needs that only the runner knows, kept with the request (a hook's <c>bypass</c>: on or off).</param>
public sealed record ActionPlan(string Title, IReadOnlyList<PlannedTarget> Targets, bool Destructive, string Summary, string? Refusal = null, IReadOnlyDictionary<string, string>? Parameters = null)
{
    public static ActionPlan Refused(string title, string why) => new(title, [], false, "", why);
}

/// <summary>An approved action about to run.</summary>
public sealed record ActionRun(string IncidentId, string ApprovalId, string Action, IReadOnlyList<PlannedTarget> Targets, IReadOnlyDictionary<string, string> Parameters, string ApprovedBy)
{
    /// <summary>Told each target's result as soon as it is known (the gate records it durably); a runner calls <see cref="Report"/>.</summary>
    public Action<TargetResult>? Progress { get; init; }

    /// <summary>Reports one target's result as it happens; returns it, so a runner can write <c>results.Add(run.Report(...))</c>.</summary>
    public TargetResult Report(TargetResult result)
    {
        Progress?.Invoke(result);
        return result;
    }
}

/// <summary>
/// Runs the approved actions whose catalogue entry names its <see cref="Key"/> (Clerk users, HTTP hooks). Implemented
/// outside Core; when two are registered for one key, the last registered wins.
/// </summary>
public interface IActionRunner
{
    Runbooks.RunnerKey Key { get; }

    Task<ActionPlan> PlanAsync(ActionAsk ask, CancellationToken cancellationToken);

    /// <summary>Runs the action on each target; never throws for a target's failure, reports it in its result.</summary>
    Task<IReadOnlyList<TargetResult>> RunAsync(ActionRun run, CancellationToken cancellationToken);
}

/// <summary>What a check found. <paramref name="Healthy"/> is null when it can't tell.</summary>
public sealed record CheckResult(string Check, bool? Healthy, string Summary, IReadOnlyList<string> Lines);

/// <summary>Runs the read-only checks whose catalogue entry names its <see cref="Key"/> (no approval needed). Implemented outside Core.</summary>
public interface ICheckRunner
{
    Runbooks.RunnerKey Key { get; }

    Task<CheckResult> RunAsync(string incidentId, string check, IReadOnlyDictionary<string, string> with, CancellationToken cancellationToken);
}
