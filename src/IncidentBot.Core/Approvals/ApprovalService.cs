using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;
using IncidentBot.Core.Runbooks;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncidentBot.Core.Approvals;

/// <summary>
/// The approval gate. A request is planned (slow: Clerk look-ups) outside the incident's lock, then recorded under it.
/// A decision is checked and recorded under the lock; the approved action runs outside it; its results are recorded
/// under the lock again. Only the press that moves a request from Pending to Running runs it.
/// </summary>
public sealed class ApprovalService(
    IncidentService incidents,
    ApprovalLedger ledger,
    IEnumerable<IActionRunner> runners,
    IOptions<ApprovalOptions> options,
    IOptions<RosterOptions> roster,
    RoomPrivacy privacy,
    ILogger<ApprovalService> log)
{
    public const string IncludeProtectedFlag = "--include-protected";

    /// <summary>
    /// A plan parameter saying the runner keeps a checkpoint under the request's id (a resync): a run cut off by a stop
    /// is run again, as the same request, at the next start instead of being marked interrupted.
    /// </summary>
    public const string ResumableParameter = "resumable";

    // Keyed by the catalogue's runner key; a later registration replaces an earlier one (tests swap a runner in).
    private readonly IReadOnlyDictionary<RunnerKey, IActionRunner> _runners = runners.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Last());

    private IActionRunner? RunnerFor(ActionEntry action) => _runners.GetValueOrDefault(action.Runner);

    /// <summary>
    /// Requests an action: plans it (Clerk look-ups, outside the lock) and posts its approval card. <paramref name="stepId"/>
    /// is the runbook step that asks for it; a request by command counts for the current step when that step asks for the
    /// same action. When the bot could not request a step's action, the step records why.
    /// </summary>
    public async Task<Outcome> RequestAsync(
        string incidentId, Actor actor, Origin? origin, string action, IReadOnlyList<string> targets, IReadOnlyDictionary<string, string> parameters,
        bool includeProtected, string? stepId, CancellationToken cancellationToken)
    {
        var outcome = await PlanAndRecordAsync(incidentId, actor, origin, action, targets, parameters, includeProtected, stepId, cancellationToken);
        if (!outcome.Succeeded && stepId is not null)
        {
            await incidents.ChangeAsync(incidentId, Actor.Bot, change =>
            {
                if (change.Runbook.FindStep(stepId) is not { } step)
                {
                    return Outcome.Refused("no such step");
                }

                change.Incident.RunOf(step.Id, change.Now).Refusal = outcome.Message;
                var text = $"Step {step.Title}: the bot could not request `{IncidentViews.Describe(step)}`: {outcome.Message}";
                change.Record(EntryKind.Action, text);
                change.Post(ChatMessage.Warn(text));
                return Outcome.Done(text);
            }, cancellationToken);
        }

        return outcome;
    }

    private async Task<Outcome> PlanAndRecordAsync(
        string incidentId, Actor actor, Origin? origin, string action, IReadOnlyList<string> targets, IReadOnlyDictionary<string, string> parameters,
        bool includeProtected, string? stepId, CancellationToken cancellationToken)
    {
        var entry = Catalogue.Action(action);
        if (entry is null)
        {
            return Outcome.Refused($"`{action}` is not an action the bot knows: {string.Join(", ", Catalogue.Actions.Select(a => a.Name))}.");
        }

        var runner = RunnerFor(entry);
        if (runner is null)
        {
            return Outcome.Refused($"`{action}` is not available from the bot: do it by hand and record what you did with `/incident note`.");
        }

        var incident = incidents.Find(incidentId);
        if (incident is null)
        {
            return Outcome.Refused($"There is no incident {incidentId}.");
        }

        if (incident.IsFinished)
        {
            return Outcome.Refused($"{incident.Id} is {incident.State}: no more actions can be requested for it.");
        }

        // Before anything is looked up: someone who may not request learns nothing about Clerk's users (not even whether
        // an address exists) and spends none of the shared rate limit.
        if (MayNotRequest(actor, action) is { } notAllowed)
        {
            Audit(incident.Id, actor.Name, "refused", action, null, $"{Describe(targets, parameters)}: not a requester");
            if (stepId is null)
            {
                await incidents.ChangeAsync(incident.Id, actor, origin, change =>
                {
                    change.Record(EntryKind.Approval, $"{actor.Name} was refused `{action}`: not allowed to request actions (nothing was looked up in Clerk).");
                    return Outcome.Done(notAllowed);
                }, cancellationToken);
            }

            return Outcome.Refused(notAllowed);
        }

        if (entry.TargetsUsers && targets.Count == 0)
        {
            targets = incident.AffectedUsers;
            if (targets.Count == 0)
            {
                return Outcome.Refused($"Name the users (ids or emails), or record them first with `/incident affected {incident.Id} <users>`.");
            }
        }

        var plan = await runner.PlanAsync(new ActionAsk(incident.Id, action, targets, parameters), cancellationToken);
        if (plan.Refusal is not null)
        {
            Audit(incident.Id, actor.Name, "refused", action, null, $"{Describe(targets, parameters)}: {plan.Refusal}");
            return Outcome.Refused(plan.Refusal);
        }

        if (TurnsOn(plan.Parameters) is { } switchName && !incident.IsOpen)
        {
            return Outcome.Refused(TooLateToTurnOn(incident, switchName));
        }

        var shielded = plan.Targets.Where(IsProtected).ToList();
        if (shielded.Count > 0 && !includeProtected)
        {
            var names = string.Join(", ", shielded.Select(t => t.Label));
            Audit(incident.Id, actor.Name, "refused", action, null, $"protected accounts: {names}");
            return Outcome.Refused($"{names} {(shielded.Count == 1 ? "is a protected account" : "are protected accounts")} (responders, admins): request it again with `{IncludeProtectedFlag}` if you really mean it.");
        }

        var settings = options.Value;
        var roles = settings.RolesFor(action);
        return await incidents.ChangeAsync(incident.Id, actor, origin, change =>
        {
            // Planning took Clerk calls and time: the incident may have been closed, cancelled or resolved meanwhile.
            if (change.Incident.IsFinished)
            {
                return Outcome.Refused($"{change.Incident.Id} is {change.Incident.State} now: no more actions can be requested for it.");
            }

            if (TurnsOn(plan.Parameters) is { } turningOn && !change.Incident.IsOpen)
            {
                return Outcome.Refused(TooLateToTurnOn(change.Incident, turningOn));
            }

            var request = new ApprovalRequest
            {
                Id = $"A{change.Incident.Approvals.Count + 1}",
                Action = action,
                Title = plan.Title,
                Parameters = parameters.Concat(plan.Parameters ?? new Dictionary<string, string>()).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value),
                Targets = plan.Targets.ToList(),
                Destructive = plan.Destructive,
                IncludeProtected = includeProtected && shielded.Count > 0,
                ApprovalsNeeded = plan.Targets.Count > settings.TwoApproversAbove ? 2 : 1,
                RequestedBy = actor.Name,
                RequestedById = actor.PlatformId ?? "",
                RequestedAt = change.Now,
                ExpiresAt = change.Now.AddMinutes(settings.ExpiryMinutes),
                StepId = stepId ?? CurrentStepAsking(change, action, parameters),
            };
            change.Incident.Approvals.Add(request);
            var text = $"{actor.Name} requested {request.Id}: {plan.Title} on {ApprovalViews.Count(request.Targets.Count, "target")} ({plan.Summary}).";
            change.Record(EntryKind.Approval, text);
            change.Post(ApprovalViews.Request(change.Incident.Id, request, roles, plan.Summary, !privacy.ShowsFullEmails(change.Incident)));
            Audit(change.Incident.Id, actor.Name, "requested", action, request.Id,
                $"{Describe(request)}; destructive: {(request.Destructive ? "yes" : "no")}; approvals needed: {request.ApprovalsNeeded}{(request.IncludeProtected ? "; includes protected accounts on purpose" : "")}");
            return Outcome.Done(text);
        }, cancellationToken);
    }

    /// <summary>An Approve or Deny press (or command), from <paramref name="origin"/>. Returns what it came to, typed.</summary>
    public async Task<CommandOutcome> DecideAsync(
        string incidentId, string approvalId, Actor actor, Origin? origin, bool approve, string? reason, CancellationToken cancellationToken)
    {
        ApprovalRequest? toRun = null;
        CommandOutcome? result = null;
        var outcome = await incidents.ChangeAsync(incidentId, actor, origin, change =>
        {
            var incident = change.Incident;
            var request = incident.FindApproval(approvalId);
            if (request is null)
            {
                return Outcome.Refused($"{incident.Id} has no approval request {approvalId}.");
            }

            if (!incident.IsOpen && request.State == ApprovalState.Pending)
            {
                ledger.Withdraw(change, request);
                result = new RequestEnded(request.Id, ApprovalState.Withdrawn, Actor.Bot.Name, $"{incident.Id} is {incident.State}: {request.Id} was withdrawn and can't run.");
                return Outcome.Done(result.Text);
            }

            if (request.State == ApprovalState.Pending && change.Now >= request.ExpiresAt)
            {
                ledger.Expire(change, request);
                result = new RequestEnded(request.Id, ApprovalState.Expired, Actor.Bot.Name, $"{request.Id} expired at {IncidentViews.Time(request.ExpiresAt)} and can't run: request it again.");
                return Outcome.Done(result.Text);
            }

            if (request.State != ApprovalState.Pending)
            {
                result = new AlreadySettled(request.Id, request.State, $"{request.Id} ({request.Title}) is already {Describe(request.State)}: it can't be decided again.");
                return Outcome.Refused(result.Text);
            }

            var allowed = options.Value.RolesFor(request.Action);
            // Who is pressing is known by their platform id (Slack user id): a display name can be anyone's.
            var person = roster.Value.Find(actor.PlatformId ?? actor.Name);
            if (person is null || !allowed.Contains(person.Role, StringComparer.OrdinalIgnoreCase))
            {
                return Refuse($"{actor.Name} may not decide {request.Id}: {request.Title} needs someone with the role {string.Join(" or ", allowed)}.");
            }

            if (approve && request.Destructive && SamePerson(actor, request.RequestedBy, request.RequestedById))
            {
                return Refuse($"{actor.Name} requested {request.Id} and can't approve it: {request.Title} is destructive, so someone else must approve.");
            }

            if (approve && request.Approvers.Any(d => SamePerson(actor, d.By, d.ById)))
            {
                return Refuse($"{actor.Name} already approved {request.Id}: it needs a second approver.");
            }

            request.Decisions.Add(new Decision { By = actor.Name, ById = actor.PlatformId ?? "", At = change.Now, Approved = approve, Reason = reason });
            if (!approve)
            {
                request.State = ApprovalState.Denied;
                request.FinishedAt = change.Now;
                var denied = $"{actor.Name} denied {request.Id}: {request.Title}{(reason is { Length: > 0 } ? $" ({reason})" : "")}. It will not run.";
                change.Record(EntryKind.Approval, denied);
                change.Post(ChatMessage.Plain(denied));
                Audit(incident.Id, actor.Name, "denied", request.Action, request.Id, reason ?? "");
                result = new RequestEnded(request.Id, ApprovalState.Denied, actor.Name, denied);
                return Outcome.Done(denied);
            }

            var count = request.Approvers.Count();
            Audit(incident.Id, actor.Name, "approved", request.Action, request.Id, $"approval {count} of {request.ApprovalsNeeded}");
            if (count < request.ApprovalsNeeded)
            {
                var waiting = $"{actor.Name} approved {request.Id} ({count} of {request.ApprovalsNeeded}): it touches {ApprovalViews.Count(request.Targets.Count, "target")}, so another approver is needed.";
                change.Record(EntryKind.Approval, waiting);
                change.Post(ChatMessage.Plain(waiting));
                result = new ApprovalCounted(request.Id, actor.Name, count, request.ApprovalsNeeded, waiting);
                return Outcome.Done(waiting);
            }

            request.State = ApprovalState.Running;
            toRun = request;
            var running = $"{string.Join(" and ", request.Approvers.Select(d => d.By))} approved {request.Id}: running {request.Title} on {ApprovalViews.Count(request.ToRun.Count(), "target")}.";
            change.Record(EntryKind.Approval, running);
            change.Post(ChatMessage.Plain(running));
            Audit(incident.Id, Actor.Bot.Name, "running", request.Action, request.Id, Describe(request));
            return Outcome.Done(running);
        }, cancellationToken);

        if (!outcome.Succeeded)
        {
            return result as AlreadySettled ?? new Refused(outcome.Message);
        }

        return toRun is null
            ? result ?? new Recorded(outcome.Message)
            : await RunAsync(incidentId, toRun, actor, origin, cancellationToken);

        Outcome Refuse(string why)
        {
            // A refused decision changes nothing on the incident, but the attempt is in the audit log.
            Audit(incidentId, actor.Name, "refused", "", approvalId, why);
            return Outcome.Refused(why);
        }
    }

    /// <summary>Runs again a request that was running when the bot stopped and is <see cref="ResumableParameter"/>: same id, so its runner continues from its checkpoint.</summary>
    public async Task<CommandOutcome> ResumeAsync(string incidentId, string approvalId, CancellationToken cancellationToken)
    {
        if (incidents.Find(incidentId)?.FindApproval(approvalId) is not { State: ApprovalState.Running } request)
        {
            return new Refused($"{approvalId} on {incidentId} is not running, so there is nothing to resume.");
        }

        return await RunAsync(incidentId, request, Actor.Bot, null, cancellationToken);
    }

    public static bool IsResumable(ApprovalRequest request) => request.Parameters.ContainsKey(ResumableParameter);

    private async Task<CommandOutcome> RunAsync(string incidentId, ApprovalRequest request, Actor actor, Origin? origin, CancellationToken cancellationToken)
    {
        var runner = RunnerFor(Catalogue.RequiredAction(request.Action))
            ?? throw new InvalidOperationException($"No runner for {request.Action}: it was requested, so one was registered then");
        var targets = request.ToRun.ToList();
        IReadOnlyList<TargetResult> results;

        // Each target's result is in the audit log as soon as the runner reports it, so a crash mid-run leaves on record
        // exactly which targets were done (InterruptedRuns reads it back at the next start-up).
        var reported = new HashSet<TargetResult>(ReferenceEqualityComparer.Instance);
        var run = new ActionRun(incidentId, request.Id, request.Action, targets, request.Parameters, actor.Name)
        {
            Progress = result =>
            {
                lock (reported)
                {
                    reported.Add(result);
                    AuditResult(incidentId, request, result);
                }
            },
        };
        try
        {
            results = targets.Count == 0 ? [] : await runner.RunAsync(run, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log.LogError(e, "{Action} {ApprovalId} on {IncidentId} stopped", request.Action, request.Id, incidentId);
            results = targets.Select(t => new TargetResult { Target = t.Label, Succeeded = false, Detail = $"the run stopped: {e.Message}" }).ToList();
        }

        // Save the results even if the caller has gone away: what was sent must be on record.
        var finished = ApprovalState.Running;
        var saved = await incidents.ChangeAsync(incidentId, actor, origin, change =>
        {
            var stored = change.Incident.FindApproval(request.Id)!;
            stored.Results = results.ToList();
            stored.FinishedAt = change.Now;
            var failed = results.Count(r => !r.Succeeded);
            stored.State = failed == 0 ? ApprovalState.Done : failed < results.Count ? ApprovalState.PartlyDone : ApprovalState.Failed;
            lock (reported)
            {
                foreach (var result in results.Where(r => !reported.Contains(r)))
                {
                    AuditResult(incidentId, stored, result);
                }
            }

            Audit(incidentId, Actor.Bot.Name, "finished", stored.Action, stored.Id, $"{Describe(stored.State)}: {results.Count - failed} ok, {failed} failed, {stored.Targets.Count(t => t.AlreadyDone)} already done");
            ApplySwitch(change, stored);
            var message = ApprovalViews.Result(change.Incident.Id, stored, !privacy.ShowsFullEmails(change.Incident));
            change.Record(EntryKind.Action, message.Header!);
            change.Post(message);
            finished = stored.State;
            return Outcome.Done(message.Header!);
        }, CancellationToken.None);

        var ran = finished switch
        {
            ApprovalState.Done => RunResult.Ok,
            ApprovalState.PartlyDone => RunResult.Partly,
            _ => RunResult.Failed,
        };
        return new ActionRan(request.Id, string.Join(" and ", request.Approvers.Select(d => d.By)), ran, saved.Message);
    }

    /// <summary>A hook that ran ok and turns a switch on or off (its plan said which): the incident tracks the switch.</summary>
    private void ApplySwitch(IncidentChange change, ApprovalRequest request)
    {
        if (request.State != ApprovalState.Done || !request.Parameters.TryGetValue(SwitchParameter, out var name))
        {
            return;
        }

        var settings = options.Value;
        var turns = request.Parameters.GetValueOrDefault(TurnsParameter);
        var current = change.Incident.Switch(name);
        if (turns == "on")
        {
            change.Incident.Switches.Remove(current!);
            var on = new SwitchOn
            {
                Name = name,
                Since = current?.Since ?? change.Now,
                ApprovalId = request.Id,
                ReviewBy = change.Now.AddMinutes(settings.BypassReviewMinutes),
                NextReminder = change.Now.AddMinutes(settings.BypassReminderMinutes),
                OffHook = request.Parameters.GetValueOrDefault(OffHookParameter),
            };
            change.Incident.Switches.Add(on);
            change.Record(EntryKind.Action, $"{Capitalize(on.Display)} ON; review by {IncidentViews.Time(on.ReviewBy)}; turn it off with {on.HowToTurnOff(change.Incident.Id)}.");
        }
        else if (turns == "off" && current is not null)
        {
            change.Incident.Switches.Remove(current);
            change.Record(EntryKind.Action, $"{Capitalize(current.Display)} OFF after {(int)(change.Now - current.Since).TotalMinutes} minutes.");
        }
    }

    /// <summary>Parameters a runner's plan sets on a request that turns a switch: its name, on or off, and the hook that turns it off.</summary>
    public const string SwitchParameter = "switch";
    public const string TurnsParameter = "turns";
    public const string OffHookParameter = "off-hook";

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>The current step, when it is an action step asking for this action (the same hook, for hooks).</summary>
    private static string? TurnsOn(IReadOnlyDictionary<string, string>? parameters) =>
        parameters is not null && parameters.GetValueOrDefault(TurnsParameter) == "on" ? parameters.GetValueOrDefault(SwitchParameter) : null;

    private static string TooLateToTurnOn(Incident incident, string name) =>
        $"{incident.Id} is {incident.State}: the {name.Replace('-', ' ')} can't be turned on any more. Reopen it (`/incident reopen {incident.Id}`) if it is really needed.";

    private static string? CurrentStepAsking(IncidentChange change, string action, IReadOnlyDictionary<string, string> parameters) =>
        change.Incident.CurrentStep(change.Runbook) is { Kind: StepKind.Action } step && step.Action == action
            && (action != "hook" || string.Equals(step.With.GetValueOrDefault("name"), parameters.GetValueOrDefault("name"), StringComparison.OrdinalIgnoreCase))
            ? step.Id
            : null;

    private bool IsProtected(PlannedTarget target)
    {
        var settings = options.Value;
        var entries = settings.ProtectedUsers.Concat(settings.ProtectResponders ? roster.Value.People.Select(p => p.Email ?? "") : []).Where(e => e.Length > 0);
        return entries.Any(e =>
            string.Equals(e, target.Id, StringComparison.OrdinalIgnoreCase)
            || target.OtherEmails.Prepend(target.Email ?? "").Any(email =>
                string.Equals(e, email, StringComparison.OrdinalIgnoreCase)
                || (e.StartsWith('@') && email.EndsWith(e, StringComparison.OrdinalIgnoreCase))));
    }

    /// <summary>
    /// Who may not request <paramref name="action"/>, and why (null: they may). The bot itself may: it requests a step's
    /// action when a check it ran moves the runbook on.
    /// </summary>
    private string? MayNotRequest(Actor actor, string action)
    {
        if (actor == Actor.Bot)
        {
            return null;
        }

        var roles = options.Value.RequesterRolesFor(action);
        // As for deciding: by platform id; an actor without one (null, not empty) comes from inside the bot or the shell, by name.
        var key = (actor.PlatformId ?? actor.Name).Trim();
        var person = key.Length == 0 ? null : roster.Value.FindByPlatformId(key)
            ?? roster.Value.People.FirstOrDefault(p => string.Equals(p.Name.Trim(), key, StringComparison.OrdinalIgnoreCase));
        return person is not null && roles.Contains(person.Role.Trim(), StringComparer.OrdinalIgnoreCase)
            ? null
            : $"{actor.Name} may not request actions: `{action}` can be requested by someone on the roster with the role {string.Join(" or ", roles)}. Nothing was looked up in Clerk; ask one of them.";
    }

    private void AuditResult(string incidentId, ApprovalRequest request, TargetResult result) =>
        Audit(incidentId, Actor.Bot.Name, "result", request.Action, request.Id, $"{result.Target}: {(result.Succeeded ? "ok" : "FAILED")}: {result.Detail}");

    private void Audit(string incidentId, string actor, string what, string action, string? approvalId, string detail) =>
        ledger.Audit(incidentId, actor, what, action, approvalId, detail);

    private static string Describe(ApprovalRequest request)
    {
        var parameters = request.Parameters.Count == 0 ? "" : $" with {string.Join(", ", request.Parameters.Select(p => $"{p.Key}={p.Value}"))}";
        var targets = string.Join(", ", request.Targets.Take(50).Select(t => t.AlreadyDone ? $"{t.Label} (already done)" : t.Label));
        return $"{request.Title}{parameters} on {request.Targets.Count}: {targets}{(request.Targets.Count > 50 ? ", ..." : "")}";
    }

    private static string Describe(IReadOnlyList<string> targets, IReadOnlyDictionary<string, string> parameters) =>
        string.Join(", ", targets.Concat(parameters.Select(p => $"{p.Key}={p.Value}")));

    public static string Describe(ApprovalState state) => state switch
    {
        ApprovalState.Pending => "waiting for approval",
        ApprovalState.Running => "approved and running",
        ApprovalState.Done => "done",
        ApprovalState.PartlyDone => "run, with failures",
        ApprovalState.Failed => "run, and failed",
        ApprovalState.Denied => "denied",
        ApprovalState.Interrupted => "interrupted by a restart",
        ApprovalState.Withdrawn => "withdrawn (the incident ended)",
        _ => "expired",
    };

    /// <summary>
    /// Whether <paramref name="actor"/> is the person recorded as <paramref name="name"/> / <paramref name="id"/>: by roster
    /// identity (their platform id, or roster name in the shell) when both are known, never by a display name someone
    /// could borrow; by name only for records kept before ids were.
    /// </summary>
    private bool SamePerson(Actor actor, string name, string? id)
    {
        var recorded = new Actor(name, string.IsNullOrEmpty(id) ? null : id);
        var (a, b) = (roster.Value.IdentityOf(actor), roster.Value.IdentityOf(recorded));
        return a is not null && b is not null ? a == b : string.Equals(actor.Name, name, StringComparison.OrdinalIgnoreCase);
    }
}
