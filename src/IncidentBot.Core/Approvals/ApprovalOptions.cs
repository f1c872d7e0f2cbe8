namespace IncidentBot.Core.Approvals;

/// <summary>Who may approve what, and the limits of the gate. Section <c>Approvals</c>.</summary>
public sealed class ApprovalOptions
{
    public const string Section = "Approvals";

    public static readonly IReadOnlyList<string> DefaultApproverRoles = ["on-call", "engineering-lead", "cto"];

    /// <summary>
    /// Roster roles whose members may approve any action not listed in <see cref="ActionRoles"/>; empty means
    /// <see cref="DefaultApproverRoles"/>. (Empty rather than pre-filled: the binder appends to a pre-filled list.)
    /// </summary>
    public List<string> ApproverRoles { get; set; } = [];

    /// <summary>Per action (clerk.ban, hook, ...): the roles that may approve it, replacing <see cref="ApproverRoles"/>.</summary>
    public Dictionary<string, List<string>> ActionRoles { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Roster roles whose members may request actions (by command, or by moving a runbook onto an action step); empty
    /// means the roles that may approve that action (<see cref="ActionRoles"/>) together with <see cref="ApproverRoles"/>.
    /// Anyone else, and anyone not on the roster, is refused before anything is looked up in Clerk.
    /// </summary>
    public List<string> RequesterRoles { get; set; } = [];

    /// <summary>How long a request can wait for its approval, in minutes.</summary>
    public int ExpiryMinutes { get; set; } = 15;

    /// <summary>A request touching more users than this needs two approvers.</summary>
    public int TwoApproversAbove { get; set; } = 10;

    /// <summary>Clerk user ids or emails (or "@domain.com") never acted on unless the request says --include-protected.</summary>
    public List<string> ProtectedUsers { get; set; } = [];

    /// <summary>Whether the roster's own emails (the responders) are protected too.</summary>
    public bool ProtectResponders { get; set; } = true;

    /// <summary>Minutes after the emergency bypass goes on by which it must be reviewed.</summary>
    public int BypassReviewMinutes { get; set; } = 30;

    /// <summary>While the bypass is on, the room is reminded every this many minutes.</summary>
    public int BypassReminderMinutes { get; set; } = 10;

    /// <summary>The roles that may request <paramref name="action"/>.</summary>
    public IReadOnlyList<string> RequesterRolesFor(string action) =>
        (RequesterRoles.Count > 0 ? RequesterRoles : RolesFor(action).Concat(ApproverRoles.Count > 0 ? ApproverRoles : DefaultApproverRoles))
            .Select(r => r.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    public IReadOnlyList<string> RolesFor(string action) =>
        (ActionRoles.TryGetValue(action, out var roles) && roles.Count > 0 ? roles : ApproverRoles.Count > 0 ? ApproverRoles : DefaultApproverRoles).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
}
