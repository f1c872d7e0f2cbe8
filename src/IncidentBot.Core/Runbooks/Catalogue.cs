namespace IncidentBot.Core.Runbooks;

/// <summary>Which runner carries out a catalogue entry. <see cref="ByHand"/>: the bot has none; a responder does it.</summary>
public enum RunnerKey
{
    ByHand,
    ClerkUsers,
    Hooks,
    ClerkChecks,
    Sync,
}

/// <summary>One action a runbook step or a command may ask for.</summary>
/// <param name="Name">The catalogue name runbooks use: <c>clerk.ban</c>.</param>
/// <param name="Title">How it reads in chat: "ban".</param>
/// <param name="Destructive">Whether its requester may not approve it (a hook's own setting decides for hooks).</param>
/// <param name="TargetsUsers">Whether it works on Clerk users, so it defaults to the incident's affected users.</param>
/// <param name="Command">The <c>/incident</c> subcommand that requests it, or null when there is none.</param>
/// <param name="Summary">What the command does, for help.</param>
public sealed record ActionEntry(string Name, string Title, bool Destructive, bool TargetsUsers, RunnerKey Runner, string? Command, string Summary)
{
    public bool Automated => Runner != RunnerKey.ByHand;
}

/// <summary>One read-only check.</summary>
public sealed record CheckEntry(string Name, string Title, RunnerKey Runner)
{
    public bool Automated => Runner != RunnerKey.ByHand;
}

/// <summary>
/// The closed, typed set of checks and actions: the one list that runbooks are validated against, commands and help are
/// made from, and runners are keyed by. A name not in it stops start-up (see <see cref="RunbookLoader"/>).
/// </summary>
public static class Catalogue
{
    public static readonly IReadOnlyList<ActionEntry> Actions =
    [
        new("clerk.revoke-sessions", "revoke sessions", true, true, RunnerKey.ClerkUsers, "revoke", "Revoke every active session of the users"),
        new("clerk.ban", "ban", true, true, RunnerKey.ClerkUsers, "ban", "Ban the users (also ends all their sessions)"),
        new("clerk.unban", "unban", false, true, RunnerKey.ClerkUsers, "unban", "Lift the users' ban"),
        new("clerk.lock", "lock", true, true, RunnerKey.ClerkUsers, "lock", "Lock the users' accounts"),
        new("clerk.unlock", "unlock", false, true, RunnerKey.ClerkUsers, "unlock", "Unlock the users' accounts"),
        new("clerk.set-password-compromised", "set password compromised", true, true, RunnerKey.ClerkUsers, "compromised", "Mark the users' passwords compromised and end their sessions"),
        new("sync.export", "export the user table", false, false, RunnerKey.Sync, null, "Snapshot the app's user table to a gzipped CSV (row count and SHA-256 in the audit log)"),
        new("sync.resync", "resync users", false, false, RunnerKey.Sync, null, "Upsert Clerk's users into the app's user table in checkpointed batches; orphans only when asked (with: orphans: delete)"),
        new("hook", "hook", true, false, RunnerKey.Hooks, "hook", "Call a configured hook (Hooks:<name>)"),
    ];

    public static readonly IReadOnlyList<CheckEntry> Checks =
    [
        new("clerk.status", "Clerk status", RunnerKey.ClerkChecks),
        new("app.health", "app health", RunnerKey.ClerkChecks),
        new("clerk.config", "Clerk configuration", RunnerKey.ClerkChecks),
        new("clerk.diagnose", "Clerk latency", RunnerKey.ClerkChecks),
        new("clerk.webhook-probe", "signed webhook probe", RunnerKey.ClerkChecks),
        new("sync.gap", "sync gap", RunnerKey.Sync),
    ];

    public static ActionEntry? Action(string? name) => Actions.FirstOrDefault(a => a.Name == name);

    public static CheckEntry? Check(string? name) => Checks.FirstOrDefault(c => c.Name == name);

    /// <summary>The catalogue entry of a name that must be in it (a stored request, a validated step).</summary>
    public static ActionEntry RequiredAction(string name) =>
        Action(name) ?? throw new InvalidOperationException($"'{name}' is not in the action catalogue");
}
