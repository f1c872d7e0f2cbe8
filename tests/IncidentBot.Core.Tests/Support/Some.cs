using IncidentBot.Tests.Support;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Runbooks;

namespace IncidentBot.Core.Tests.Support;

/// <summary>Throwaway values for tests.</summary>
public static class Some
{
    public static readonly DateTimeOffset Start = new(2026, 11, 28, 3, 0, 0, TimeSpan.Zero);

    public static Incident Incident(IncidentState state = IncidentState.Declared) => new()
    {
        Id = "INC-7",
        Number = 7,
        Title = "Users cannot sign in",
        Category = "auth-outage",
        RunbookId = "auth-outage-response",
        Severity = Severity.Sev1,
        State = state,
        Declarer = "alice",
        DeclaredAt = Start,
    };

    public static IReadOnlyList<Runbook> Runbooks() => RunbookLoader.LoadDirectory(Repo.Runbooks);

    public static Runbook AuthOutage() => Runbooks().Single(r => r.Category == "auth-outage");
}
