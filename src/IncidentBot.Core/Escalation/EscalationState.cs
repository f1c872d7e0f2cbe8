namespace IncidentBot.Core.Escalation;

/// <summary>
/// An incident's escalation, stored on the incident: the policy it was declared under (a copy) and where the chain
/// stands. Plain settable properties only, so LiteDB maps it; the rules that change it live in <see cref="EscalationChain"/>.
/// </summary>
public sealed class EscalationState
{
    public EscalationPolicy Policy { get; set; } = new();

    /// <summary>1 for the chain started at declaration, one more for each reopen.</summary>
    public int Chain { get; set; }

    public DateTimeOffset ChainStartedAt { get; set; }

    /// <summary>The last level paged in this chain (1-based), 0 before the first page.</summary>
    public int Level { get; set; }

    /// <summary>The round of the chain (1-based); above 1 once the chain repeats.</summary>
    public int Round { get; set; } = 1;

    /// <summary>When the next level is due; null when nothing more will be paged automatically.</summary>
    public DateTimeOffset? NextPingAt { get; set; }

    /// <summary>Why the chain stopped (acknowledged, Resolved, Cancelled, ...); null while it runs.</summary>
    public string? StoppedBecause { get; set; }

    public string? AcknowledgedBy { get; set; }

    public DateTimeOffset? AcknowledgedAt { get; set; }

    /// <summary>Every page sent, over all chains, in order.</summary>
    public List<PingRecord> Pings { get; set; } = [];

    /// <summary>Pages reported undelivered and already acted on, as "chain/round/level/person": each is acted on once.</summary>
    public List<string> Undelivered { get; set; } = [];

    /// <summary>The last status update (a note) or status reminder; the next reminder counts from it.</summary>
    public DateTimeOffset? LastStatusAt { get; set; }

    public DateTimeOffset? NextStatusReminderAt { get; set; }

    public DateTimeOffset? NextCommanderReminderAt { get; set; }
}

/// <summary>The policy as it was when the incident was declared, with the roster's people resolved then.</summary>
public sealed class EscalationPolicy
{
    public List<PolicyLevel> Levels { get; set; } = [];

    public int Repeats { get; set; }

    public TimeSpan StatusUpdateEvery { get; set; }

    public TimeSpan CommanderReminderEvery { get; set; }
}

public sealed class PolicyLevel
{
    public int Number { get; set; }

    /// <summary>As configured: names and roles.</summary>
    public List<string> Notify { get; set; } = [];

    /// <summary>The roster names those resolved to at declaration.</summary>
    public List<string> People { get; set; } = [];

    public TimeSpan EscalateAfter { get; set; }
}

/// <summary>One page: which level of which chain, who, when it was due and when it went out.</summary>
public sealed class PingRecord
{
    public int Chain { get; set; }

    public int Round { get; set; }

    public int Level { get; set; }

    public List<string> People { get; set; } = [];

    public DateTimeOffset DueAt { get; set; }

    public DateTimeOffset SentAt { get; set; }

    public bool Late { get; set; }

    /// <summary>Who escalated by hand; null for an automatic page.</summary>
    public string? ByHand { get; set; }
}
