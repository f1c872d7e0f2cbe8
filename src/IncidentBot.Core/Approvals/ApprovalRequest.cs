namespace IncidentBot.Core.Approvals;

public enum ApprovalState
{
    Pending,
    Running,
    Done,
    PartlyDone,
    Failed,
    Denied,
    Expired,

    /// <summary>The bot stopped while it ran; the audit log shows what was sent.</summary>
    Interrupted,

    /// <summary>Still waiting when its incident was closed or cancelled: it will never run.</summary>
    Withdrawn,
}

/// <summary>One requested action: what it will do (the preview), who asked, who decided, and what came of it per target.</summary>
public sealed class ApprovalRequest
{
    /// <summary>A1, A2, ... within the incident.</summary>
    public string Id { get; set; } = "";

    /// <summary>The catalogue name: clerk.ban, hook, ...</summary>
    public string Action { get; set; } = "";

    /// <summary>How the action reads in chat: "ban", "hook emergency-bypass-on".</summary>
    public string Title { get; set; } = "";

    public Dictionary<string, string> Parameters { get; set; } = [];

    public List<PlannedTarget> Targets { get; set; } = [];

    public bool Destructive { get; set; }

    public bool IncludeProtected { get; set; }

    public int ApprovalsNeeded { get; set; } = 1;

    public string RequestedBy { get; set; } = "";

    /// <summary>The requester's platform id (Slack or Teams user id; empty in the shell and for requests stored before it was kept).</summary>
    public string RequestedById { get; set; } = "";

    public DateTimeOffset RequestedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>The runbook step that asked for it, if any.</summary>
    public string? StepId { get; set; }

    public ApprovalState State { get; set; } = ApprovalState.Pending;

    public List<Decision> Decisions { get; set; } = [];

    public List<TargetResult> Results { get; set; } = [];

    public DateTimeOffset? FinishedAt { get; set; }

    public IEnumerable<Decision> Approvers => Decisions.Where(d => d.Approved);

    public IEnumerable<PlannedTarget> ToRun => Targets.Where(t => !t.AlreadyDone);
}

/// <summary>One target of an action as the preview showed it: a Clerk user resolved to id and primary email, or a hook.</summary>
public sealed class PlannedTarget
{
    public string Id { get; set; } = "";

    public string? Email { get; set; }

    /// <summary>Every address on the account (Email is the primary one), so a protected person is recognised by any of them.</summary>
    public List<string> OtherEmails { get; set; } = [];

    /// <summary>What the preview says about it: "37 active sessions", "already banned".</summary>
    public string Note { get; set; } = "";

    /// <summary>Already in the state the action leads to: shown, not run.</summary>
    public bool AlreadyDone { get; set; }

    public string Label => Email is null ? Id : $"{Id} <{Email}>";

    /// <summary>The label for a room that is not private: the address masked (<see cref="RoomPrivacy.Mask"/>).</summary>
    public string Shown(bool maskEmail) => Email is null || !maskEmail ? Label : $"{Id} <{RoomPrivacy.Mask(Email)}>";
}

public sealed class Decision
{
    public string By { get; set; } = "";

    /// <summary>The decider's platform id (empty in the shell and for decisions stored before it was kept).</summary>
    public string ById { get; set; } = "";

    public DateTimeOffset At { get; set; }

    public bool Approved { get; set; }

    public string? Reason { get; set; }
}

public sealed class TargetResult
{
    public string Target { get; set; } = "";

    public bool Succeeded { get; set; }

    public string Detail { get; set; } = "";
}

/// <summary>
/// A named switch a hook turned on for the incident (the emergency bypass, the webhook pause), while it is on: when it
/// went on, by which request, when it must be reviewed, when the room is next reminded, and which hook turns it off.
/// </summary>
public sealed class SwitchOn
{
    public const string EmergencyBypass = "emergency-bypass";

    public string Name { get; set; } = "";

    public DateTimeOffset Since { get; set; }

    public string ApprovalId { get; set; } = "";

    public DateTimeOffset ReviewBy { get; set; }

    public DateTimeOffset NextReminder { get; set; }

    /// <summary>The hook that turns it off, when one is configured.</summary>
    public string? OffHook { get; set; }

    /// <summary>How it reads in a sentence: "emergency bypass", "webhook pause".</summary>
    public string Display => Name.Replace('-', ' ');

    /// <summary>How to turn it off, as a command.</summary>
    public string HowToTurnOff(string incidentId) =>
        OffHook is { Length: > 0 } hook ? $"`/incident hook {incidentId} {hook}`" : $"a hook that turns {Display} off (configure Hooks:<name>:Switch = {Name}, Turns = off)";
}
