namespace IncidentBot.Core.Escalation;

/// <summary>
/// Section <c>Escalation</c>: who is paged, in which order, and how often the room is reminded. Durations are
/// <see cref="TimeSpan"/> values written <c>hh:mm:ss</c> (<c>"00:15:00"</c> is fifteen minutes). Each incident copies
/// the policy of its severity when it is declared, so editing this section never changes a running escalation.
/// </summary>
public sealed class EscalationOptions
{
    public const string Section = "Escalation";

    /// <summary>
    /// The chain, in order. Level 1 is paged at declaration; each next level when the previous one has gone
    /// <see cref="EscalationLevelOptions.EscalateAfter"/> without an acknowledgement. Empty means <see cref="DefaultLevels"/>.
    /// </summary>
    public List<EscalationLevelOptions> Levels { get; set; } = [];

    /// <summary>How many more times the whole chain runs after its last level goes unacknowledged (0: once only).</summary>
    public int Repeats { get; set; }

    /// <summary>How often the room is reminded to post a status update while the incident is open; 00:00:00 turns it off.</summary>
    public TimeSpan StatusUpdateEvery { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often the room is reminded to name a commander while none is named; 00:00:00 turns it off.</summary>
    public TimeSpan CommanderReminderEvery { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Per-severity changes, keyed <c>Sev1</c>, <c>Sev2</c>, <c>Sev3</c>; a value left out keeps the one above.</summary>
    public Dictionary<string, SeverityEscalationOptions> Severities { get; set; } = [];

    /// <summary>The seed's INCIDENT_CONTACTS.yml: on-call at once, engineering lead after 15 minutes, CTO after 30.</summary>
    public static List<EscalationLevelOptions> DefaultLevels() =>
    [
        new() { Notify = ["on-call"], EscalateAfter = TimeSpan.FromMinutes(15) },
        new() { Notify = ["engineering-lead"], EscalateAfter = TimeSpan.FromMinutes(15) },
        new() { Notify = ["cto"], EscalateAfter = TimeSpan.FromMinutes(15) },
    ];

    /// <summary>The override for <paramref name="severity"/>, whatever the case of its key.</summary>
    public SeverityEscalationOptions? For(Incidents.Severity severity) =>
        Severities.FirstOrDefault(kv => Incidents.SeverityText.TryParse(kv.Key, out var s) && s == severity).Value;
}

public sealed class EscalationLevelOptions
{
    /// <summary>Roster people (by name) or roles (e.g. <c>on-call</c>); a role pages everyone who holds it.</summary>
    public List<string> Notify { get; set; } = [];

    /// <summary>How long this level has to acknowledge before the next level is paged (or the chain repeats).</summary>
    public TimeSpan EscalateAfter { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>One severity's changes to the policy; null (or an empty list) keeps the general value.</summary>
public sealed class SeverityEscalationOptions
{
    public List<EscalationLevelOptions> Levels { get; set; } = [];

    public int? Repeats { get; set; }

    public TimeSpan? StatusUpdateEvery { get; set; }

    public TimeSpan? CommanderReminderEvery { get; set; }
}
