namespace IncidentBot.Core.Runbooks;

/// <summary>The closed set of checks and actions a runbook may name. Running them is the automation's business.</summary>
public static class Catalogue
{
    public static readonly IReadOnlySet<string> Checks = new HashSet<string>(StringComparer.Ordinal)
    {
        "clerk.status",
        "app.health",
        "clerk.config",
        "clerk.diagnose",
        "clerk.webhook-probe",
        "sync.gap",
    };

    public static readonly IReadOnlySet<string> Actions = new HashSet<string>(StringComparer.Ordinal)
    {
        "clerk.revoke-sessions",
        "clerk.ban",
        "clerk.unban",
        "clerk.lock",
        "clerk.unlock",
        "clerk.set-password-compromised",
        "sync.export",
        "sync.resync",
        "hook",
    };
}
