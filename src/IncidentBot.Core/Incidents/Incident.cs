using IncidentBot.Core.Escalation;
using IncidentBot.Core.Runbooks;
using Stateless;
using Stateless.Graph;

namespace IncidentBot.Core.Incidents;

/// <summary>
/// An incident and its life cycle. The state machine is private and rebuilt around the stored
/// <see cref="State"/> each time the incident is loaded; callers use the intent-named methods, which
/// answer with an <see cref="Outcome"/> rather than throwing. Not thread-safe: the service changes an
/// incident only under that incident's lock.
/// </summary>
public sealed partial class Incident
{
    private StateMachine<IncidentState, Trigger>? _machine;

    private enum Trigger
    {
        Acknowledge,
        BeginMitigation,
        Mitigated,
        Resolve,
        Reopen,
        Close,
        Cancel,
    }

    public string Id { get; set; } = "";

    public int Number { get; set; }

    public string Title { get; set; } = "";

    public string Category { get; set; } = "";

    public string RunbookId { get; set; } = "";

    public Severity Severity { get; set; }

    public IncidentState State { get; set; } = IncidentState.Declared;

    public string Declarer { get; set; } = "";

    public string? Commander { get; set; }

    public DateTimeOffset DeclaredAt { get; set; }

    public List<string> AffectedUsers { get; set; } = [];

    public List<TransitionRecord> Transitions { get; set; } = [];

    public List<StepRecord> Steps { get; set; } = [];

    /// <summary>Chosen branch per choice step id.</summary>
    public Dictionary<string, string> Choices { get; set; } = [];

    public List<Note> Notes { get; set; } = [];

    /// <summary>Where the incident lives on each chat platform (channel and pinned card).</summary>
    public List<Room> Rooms { get; set; } = [];

    public string? CancelReason { get; set; }

    /// <summary>The escalation policy copied at declaration and where its chain stands (see Escalation/).</summary>
    public EscalationState? Escalation { get; set; }

    /// <summary>A practice incident (drill mode): marked DRILL everywhere, pages only <see cref="DrillPages"/>, kept out of real metrics.</summary>
    public bool Drill { get; set; }

    /// <summary>Who a drill pages (roster names); empty: the person who started it.</summary>
    public List<string> DrillPages { get; set; } = [];

    public bool IsOpen => IsOpenState(State);

    public static bool IsOpenState(IncidentState state) => state is not (IncidentState.Resolved or IncidentState.Closed or IncidentState.Cancelled);

    public bool IsFinished => State is IncidentState.Closed or IncidentState.Cancelled;

    /// <summary>The refusal for changing <paramref name="what"/> on a closed or cancelled incident, or null while it may change.</summary>
    public Outcome? RefuseIfFinished(string what) =>
        IsFinished ? Outcome.Refused($"{Id} is {State}: its {what} can no longer change.") : null;

    public TransitionRecord? FirstTransitionTo(IncidentState state) => Transitions.FirstOrDefault(t => t.To == state);

    public TransitionRecord? LastTransitionTo(IncidentState state) => Transitions.LastOrDefault(t => t.To == state);

    public Room? RoomOn(string platform) => Rooms.FirstOrDefault(r => r.Platform == platform);

    public Outcome Acknowledge(string by, DateTimeOffset at) => Fire(Trigger.Acknowledge, by, at);

    public Outcome BeginMitigation(string by, DateTimeOffset at) => Fire(Trigger.BeginMitigation, by, at);

    public Outcome MarkMitigated(string by, DateTimeOffset at) => Fire(Trigger.Mitigated, by, at);

    public Outcome Resolve(string by, DateTimeOffset at) => Fire(Trigger.Resolve, by, at);

    public Outcome Reopen(string by, DateTimeOffset at) => Fire(Trigger.Reopen, by, at);

    public Outcome Close(string by, DateTimeOffset at) => Fire(Trigger.Close, by, at);

    public Outcome Cancel(string reason, string by, DateTimeOffset at)
    {
        var outcome = Fire(Trigger.Cancel, by, at);
        if (outcome.Succeeded)
        {
            CancelReason = reason;
        }

        return outcome;
    }

    /// <summary>The state machine as a Mermaid state diagram, for the README.</summary>
    public static string StateDiagram() => MermaidGraph.Format(new Incident().Machine.GetInfo());

    // ---- the runbook walk ----

    public RunbookStep? CurrentStep(Runbook runbook) =>
        runbook.Path(Choices).FirstOrDefault(step => Steps.All(r => r.StepId != step.Id));

    /// <summary>1-based position of the current step, or the total plus one when the walk is finished.</summary>
    public int StepNumber(Runbook runbook) => Steps.Count + 1;

    public string Progress(Runbook runbook)
    {
        var total = runbook.TotalSteps(Choices);
        var current = CurrentStep(runbook);
        return current is null ? $"all {total} steps finished" : $"step {StepNumber(runbook)} of {total}";
    }

    public Outcome CompleteStep(Runbook runbook, string by, DateTimeOffset at) =>
        Advance(runbook, StepOutcome.Done, null, null, by, at);

    public Outcome SkipStep(Runbook runbook, string reason, string by, DateTimeOffset at) =>
        Advance(runbook, StepOutcome.Skipped, reason, null, by, at);

    public Outcome Choose(Runbook runbook, string branchId, string by, DateTimeOffset at) =>
        Advance(runbook, StepOutcome.Chosen, null, branchId, by, at);

    /// <summary>Why a button carrying <paramref name="guard"/> no longer applies, or null if it still does.</summary>
    public string? StaleReason(string guard, Runbook? runbook)
    {
        var (kind, value) = guard.IndexOf(':') is var i and > 0 ? (guard[..i], guard[(i + 1)..]) : (guard, "");
        switch (kind)
        {
            case "step":
                var current = runbook is null ? null : CurrentStep(runbook);
                if (current?.Id == value)
                {
                    return null;
                }

                var record = Steps.FirstOrDefault(r => r.StepId == value);
                var now = current is null ? "the runbook is finished" : $"it is at {Progress(runbook!)}: {current.Title}";
                return record is null
                    ? $"This button is stale: {Id} is not at that step ({now})."
                    : $"This button is stale: that step was already {Describe(record)} by {record.By} at {record.At:HH:mm} UTC ({now}).";
            case "state":
                return StaleState(Id, State, value);
            default:
                return null;
        }
    }

    /// <summary>Why a <c>state:</c> guard no longer holds for an incident in <paramref name="state"/>; null when it does.</summary>
    public static string? StaleState(string id, IncidentState state, string guardedState) =>
        string.Equals(state.ToString(), guardedState, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"This button is stale: {id} is {state} now, not {guardedState}.";

    private static string Describe(StepRecord record) => record.Outcome switch
    {
        StepOutcome.Done => "done",
        StepOutcome.Skipped => "skipped",
        _ => $"answered ({record.Branch})",
    };

    private Outcome Advance(Runbook runbook, StepOutcome outcome, string? reason, string? branchId, string by, DateTimeOffset at)
    {
        if (IsFinished)
        {
            return Outcome.Refused($"{Id} is {State}: its runbook can no longer change.");
        }

        if (State == IncidentState.Declared)
        {
            return Outcome.Refused($"{Id} is Declared: acknowledge it (`ack`) before working the runbook.");
        }

        var step = CurrentStep(runbook);
        if (step is null)
        {
            return Outcome.Refused($"{Id} has finished all {runbook.TotalSteps(Choices)} steps of {runbook.Title}.");
        }

        var number = StepNumber(runbook);
        if (step.Kind == StepKind.Choice && outcome != StepOutcome.Chosen)
        {
            var options = string.Join(" or ", step.Branches.Select(b => $"`step choose {b.Id}` ({b.Label})"));
            return Outcome.Refused($"Step {number} is a choice: {step.Title} Answer with {options}.");
        }

        if (step.Kind != StepKind.Choice && outcome == StepOutcome.Chosen)
        {
            return Outcome.Refused($"Step {number} ({step.Title}) is not a choice: mark it `step done` or `step skip <reason>`.");
        }

        if (outcome == StepOutcome.Chosen)
        {
            var branch = step.Branches.FirstOrDefault(b => string.Equals(b.Id, branchId, StringComparison.OrdinalIgnoreCase));
            if (branch is null)
            {
                var options = string.Join(", ", step.Branches.Select(b => b.Id));
                return Outcome.Refused($"'{branchId}' is not an answer to step {number} ({step.Title}); choose one of: {options}.");
            }

            branchId = branch.Id;
            Choices[step.Id] = branch.Id;
            Steps.Add(new StepRecord { StepId = step.Id, Outcome = outcome, Branch = branch.Id, By = by, At = at });
            return Outcome.Done($"Step {number} answered: {branch.Label} ({by}).");
        }

        var status = StepStatus.Of(this, step);
        if (outcome == StepOutcome.Done && step.Kind == StepKind.Action && status is { State: not StepState.RanOk })
        {
            // Done means the action really ran: anything else is a skip, with its reason on the record.
            return Outcome.Refused(
                $"Step {number} ({step.Title}) can't be marked done: {status.Text.TrimEnd('.')}. Request it again with {StepStatus.RequestAgain(this, step)}, or skip the step with `/incident step {Id} skip <reason>`.");
        }

        Steps.Add(new StepRecord { StepId = step.Id, Outcome = outcome, Reason = reason, By = by, At = at, Result = status?.Text });
        var result = status is null ? "" : $" Outcome: {status.Text.TrimEnd('.')}.";
        return outcome == StepOutcome.Done
            ? Outcome.Done($"Step {number} done: {step.Title} ({by}).{result}")
            : Outcome.Done($"Step {number} skipped: {step.Title} ({by}: {reason}).{result}");
    }

    // ---- the state machine ----

    private StateMachine<IncidentState, Trigger> Machine => _machine ??= Build();

    private StateMachine<IncidentState, Trigger> Build()
    {
        var machine = new StateMachine<IncidentState, Trigger>(() => State, s => State = s);

        machine.Configure(IncidentState.Declared)
            .Permit(Trigger.Acknowledge, IncidentState.Investigating)
            .Permit(Trigger.Cancel, IncidentState.Cancelled);

        machine.Configure(IncidentState.Investigating)
            .Permit(Trigger.BeginMitigation, IncidentState.Mitigating)
            .Permit(Trigger.Resolve, IncidentState.Resolved)
            .Permit(Trigger.Cancel, IncidentState.Cancelled);

        machine.Configure(IncidentState.Mitigating)
            .Permit(Trigger.Mitigated, IncidentState.Monitoring)
            .Permit(Trigger.Resolve, IncidentState.Resolved);

        machine.Configure(IncidentState.Monitoring)
            .Permit(Trigger.BeginMitigation, IncidentState.Mitigating)
            .Permit(Trigger.Resolve, IncidentState.Resolved);

        machine.Configure(IncidentState.Resolved)
            .Permit(Trigger.Reopen, IncidentState.Investigating)
            .Permit(Trigger.Close, IncidentState.Closed);

        machine.Configure(IncidentState.Closed);
        machine.Configure(IncidentState.Cancelled);
        return machine;
    }

    private Outcome Fire(Trigger trigger, string by, DateTimeOffset at)
    {
        if (!Machine.CanFire(trigger))
        {
            return Outcome.Refused(Refusal(trigger));
        }

        // A switch left on (requests through without sign-in, webhooks not processed) outlives the incident unless it is
        // turned off first: the incident can't end while one is on.
        if (Switches.FirstOrDefault() is { } on && trigger is Trigger.Resolve or Trigger.Close or Trigger.Cancel)
        {
            return Outcome.Refused(
                $"{Id} still has the {on.Display} ON (since {on.Since.UtcDateTime:HH:mm} UTC): turn it off first with an approved {on.HowToTurnOff(Id)}, then {trigger.ToString().ToLowerInvariant()} it.");
        }

        var from = State;
        Machine.Fire(trigger);
        Transitions.Add(new TransitionRecord { From = from, To = State, Trigger = trigger.ToString(), By = by, At = at });
        return Outcome.Done($"{Id} is {State} ({Verb(trigger)} by {by}).");
    }

    private static string Verb(Trigger trigger) => trigger switch
    {
        Trigger.Acknowledge => "acknowledged",
        Trigger.BeginMitigation => "mitigation started",
        Trigger.Mitigated => "mitigated",
        Trigger.Resolve => "resolved",
        Trigger.Reopen => "reopened",
        Trigger.Close => "closed",
        _ => "cancelled",
    };

    private string Refusal(Trigger trigger)
    {
        var head = $"{Id} is {State}";
        if (State == IncidentState.Closed)
        {
            return $"{head}: nothing more can change. Declare a new incident if the problem is back.";
        }

        if (State == IncidentState.Cancelled)
        {
            return $"{head} (a false alarm: {CancelReason}): nothing more can change. Declare a new incident if there is a real problem.";
        }

        return (trigger, State) switch
        {
            (Trigger.Acknowledge, _) => $"{head}: it was already acknowledged by {FirstTransitionTo(IncidentState.Investigating)?.By ?? "someone"}.",
            (Trigger.Resolve, IncidentState.Declared) => $"{head}: acknowledge it before resolving.",
            (Trigger.Resolve, IncidentState.Resolved) => $"{head} already.",
            (Trigger.BeginMitigation, IncidentState.Declared) => $"{head}: acknowledge it before starting mitigation.",
            (Trigger.BeginMitigation, IncidentState.Mitigating) => $"{head} already.",
            (Trigger.BeginMitigation, IncidentState.Resolved) => $"{head}: reopen it before starting mitigation again.",
            (Trigger.Mitigated, IncidentState.Monitoring) => $"{head} already.",
            (Trigger.Mitigated, IncidentState.Resolved) => $"{head}: reopen it first if the problem is back.",
            (Trigger.Mitigated, _) => $"{head}: start mitigation (`mitigate`) before moving to monitoring.",
            (Trigger.Reopen, _) => $"{head}: only a resolved incident can be reopened.",
            (Trigger.Close, _) => $"{head}: resolve it before closing.",
            (Trigger.Cancel, IncidentState.Resolved) => $"{head}: a resolved incident can't be cancelled as a false alarm; close it instead.",
            (Trigger.Cancel, _) => $"{head}: only an incident still Declared or Investigating can be cancelled as a false alarm; resolve it instead.",
            _ => $"{head}: that can't be done now.",
        };
    }
}

public sealed class TransitionRecord
{
    public IncidentState From { get; set; }

    public IncidentState To { get; set; }

    public string Trigger { get; set; } = "";

    public string By { get; set; } = "";

    public DateTimeOffset At { get; set; }
}

public enum StepOutcome
{
    Done,
    Skipped,
    Chosen,
}

public sealed class StepRecord
{
    public string StepId { get; set; } = "";

    public StepOutcome Outcome { get; set; }

    public string? Reason { get; set; }

    public string? Branch { get; set; }

    /// <summary>For a check or action step: what its check found or how its request ended, when it was done or skipped.</summary>
    public string? Result { get; set; }

    public string By { get; set; } = "";

    public DateTimeOffset At { get; set; }
}

public sealed class Note
{
    /// <summary>root-cause, resolution, prevention, lesson, impact, or empty for a plain note.</summary>
    public string Kind { get; set; } = "";

    public string Text { get; set; } = "";

    public string By { get; set; } = "";

    public DateTimeOffset At { get; set; }
}

/// <summary>The incident's home on one chat platform: its channel and the message holding its card.</summary>
public sealed class Room
{
    public string Platform { get; set; } = "";

    public string ChannelId { get; set; } = "";

    public string? ChannelName { get; set; }

    public string? CardMessageId { get; set; }
}
