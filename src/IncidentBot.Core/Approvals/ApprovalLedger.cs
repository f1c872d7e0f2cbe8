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
    /// is running it). Its targets' results were audited as they came (<paramref name="audit"/>): keep them on the
    /// request, say which targets were done and which not, and let a new request (a new approval) finish the rest.
    /// </summary>
    public void Interrupt(IncidentChange change, ApprovalRequest request, IReadOnlyList<AuditEntry> audit)
    {
        var results = audit.Where(e => e.ApprovalId == request.Id && e.Event == "result").ToList();
        var done = new List<PlannedTarget>();
        var failed = new List<PlannedTarget>();
        foreach (var target in request.ToRun)
        {
            var said = results.LastOrDefault(e => e.Detail.StartsWith(target.Label + ": ", StringComparison.Ordinal));
            if (said is null)
            {
                continue;
            }

            var ok = said.Detail.StartsWith(target.Label + ": ok: ", StringComparison.Ordinal);
            (ok ? done : failed).Add(target);
            request.Results.Add(new TargetResult { Target = target.Label, Succeeded = ok, Detail = said.Detail[(target.Label.Length + (ok ? 6 : 10))..] });
        }

        var all = request.ToRun.Count();
        var unknown = request.ToRun.Where(t => !done.Contains(t) && !failed.Contains(t)).ToList();
        var detail = $"the bot stopped while the action ran; done: {Ids(done)}; failed: {Ids(failed)}; not done or not known: {Ids(unknown)}";
        End(change, request, ApprovalState.Interrupted, "interrupted", detail,
            ChatMessage.Warn($"{request.Id} ({request.Title}) was interrupted: the bot stopped while it ran. Done before it stopped: {done.Count} of {all} targets"
                + (done.Count > 0 ? $" ({Ids(done)})" : "")
                + (failed.Count > 0 ? $"; failed: {failed.Count}" : "")
                + $"; not done or not known: {unknown.Count}. It will not run again: request it again to finish the rest (targets already done are skipped); `/incident audit` has every Clerk call."));
    }

    private static string Ids(IReadOnlyList<PlannedTarget> targets) =>
        targets.Count == 0 ? "none" : string.Join(", ", targets.Take(50).Select(t => t.Id)) + (targets.Count > 50 ? $" and {targets.Count - 50} more" : "");

    private void End(IncidentChange change, ApprovalRequest request, ApprovalState state, string auditEvent, string detail, ChatMessage message)
    {
        request.State = state;
        request.FinishedAt = change.Now;
        change.Record(state == ApprovalState.Interrupted ? EntryKind.Action : EntryKind.Approval, message.Text, Actor.Bot.Name);
        change.Post(message);
        Audit(change.Incident.Id, Actor.Bot.Name, auditEvent, request.Action, request.Id, detail);
    }
}
