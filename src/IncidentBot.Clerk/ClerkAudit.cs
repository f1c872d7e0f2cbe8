using IncidentBot.Clerk.Api;
using IncidentBot.Core.People;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Clerk;

/// <summary>Writes every Clerk call of a check or action to the incident's audit log as it completes, so a crash mid-action still leaves what was sent.</summary>
public sealed class ClerkAudit(IAuditLog log, TimeProvider time)
{
    /// <summary><paramref name="clerk"/>, writing each call it sends to the audit log of this incident, action and approval.</summary>
    public IClerkClient Recording(IClerkClient clerk, string incidentId, string action, string? approvalId) =>
        clerk.Observed(call => Write(incidentId, "request", action, approvalId, call.ToString()));

    public void Write(string incidentId, string what, string action, string? approvalId, string detail) =>
        log.Append(new AuditEntry
        {
            IncidentId = incidentId,
            At = time.GetUtcNow(),
            Actor = Actor.Bot.Name,
            Event = what,
            Action = action,
            ApprovalId = approvalId,
            Detail = detail,
        });
}
