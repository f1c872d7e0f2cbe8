using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Approvals;

/// <summary>
/// The audit log of requests, and the one way a request ends without running (withdrawn, expired, interrupted): its
/// state, a timeline entry, a post in the room and an audit entry, all in the caller's change. Needs only the audit
/// log, so reactors and deadline handlers use it without reaching back into the service that calls them.
/// </summary>
public sealed class ApprovalLedger(IAuditLog log, TimeProvider time)
{
    public void Audit(string incidentId, string actor, string what, string action, string? approvalId, string detail) =>
        log.Append(new AuditEntry
        {
            IncidentId = incidentId,
            At = time.GetUtcNow(),
            Actor = actor,
            Event = what,
            Action = action,
            ApprovalId = approvalId,
            Detail = detail,
        });

    /// <summary>A request still waiting when its incident is resolved, closed or cancelled never runs.</summary>
    public void Withdraw(IncidentChange change, ApprovalRequest request) =>
        End(change, request, ApprovalState.Withdrawn, "withdrawn", $"the incident is {change.Incident.State}",
            ChatMessage.Plain($"{request.Id} ({request.Title}) was withdrawn: {change.Incident.Id} is {change.Incident.State}, so it will not run."));

    public void Expire(IncidentChange change, ApprovalRequest request) =>
        End(change, request, ApprovalState.Expired, "expired", "",
            ChatMessage.Plain($"{request.Id} ({request.Title}) expired unapproved at {IncidentViews.Time(request.ExpiresAt)}; it will not run."));

    /// <summary>
    /// At start-up: a request still Running was cut off when the bot stopped (one bot owns the store, so nothing else
    /// is running it). Say so plainly, keep what was recorded, and let a new request finish what is left.
    /// </summary>
    public void Interrupt(IncidentChange change, ApprovalRequest request) =>
        End(change, request, ApprovalState.Interrupted, "interrupted", "the bot stopped while the action ran",
            ChatMessage.Warn($"{request.Id} ({request.Title}) was interrupted: the bot stopped while it ran. `/incident audit` shows which Clerk requests were sent; request it again to finish what is left (targets already done are skipped)."));

    private void End(IncidentChange change, ApprovalRequest request, ApprovalState state, string auditEvent, string detail, ChatMessage message)
    {
        request.State = state;
        request.FinishedAt = change.Now;
        change.Record(state == ApprovalState.Interrupted ? EntryKind.Action : EntryKind.Approval, message.Text, Actor.Bot.Name);
        change.Post(message);
        Audit(change.Incident.Id, Actor.Bot.Name, auditEvent, request.Action, request.Id, detail);
    }
}
