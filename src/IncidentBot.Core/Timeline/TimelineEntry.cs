namespace IncidentBot.Core.Timeline;

public static class EntryKind
{
    public const string Declared = "declared";
    public const string Transition = "transition";
    public const string Step = "step";
    public const string Note = "note";
    public const string Message = "message";
    public const string Change = "change";
    public const string Action = "action";
    public const string Approval = "approval";
    public const string Escalation = "escalation";
    public const string Report = "report";

    /// <summary>A room the bot could not deliver to, and how much it missed once it could again.</summary>
    public const string Delivery = "delivery";
}

/// <summary>One line of an incident's history. Stored in its own collection, appended, never rewritten except for chat edits.</summary>
public sealed class TimelineEntry
{
    public long Id { get; set; }

    public string IncidentId { get; set; } = "";

    public DateTimeOffset At { get; set; }

    public string Actor { get; set; } = "";

    public string Kind { get; set; } = "";

    public string Text { get; set; } = "";

    /// <summary>Where it came from on a chat platform ("slack:C123:1712345678.000100"), so edits and deletions can find it.</summary>
    public string? SourceRef { get; set; }
}

/// <summary>One line of the append-only audit log: an action requested, decided, sent to an API, and what came back.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public string IncidentId { get; set; } = "";

    public DateTimeOffset At { get; set; }

    public string Actor { get; set; } = "";

    /// <summary>requested, approved, denied, expired, request, result.</summary>
    public string Event { get; set; } = "";

    public string Action { get; set; } = "";

    public string? ApprovalId { get; set; }

    public string Detail { get; set; } = "";

    /// <summary>The API's trace id for a call (Clerk-Trace-Id, clerk_trace_id, cf-ray), when it gave one.</summary>
    public string? TraceId { get; set; }
}
