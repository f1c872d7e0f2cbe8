using IncidentBot.Clerk.Http;
using IncidentBot.Core.People;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Clerk;

/// <summary>Writes every Clerk call made inside a scope to the incident's audit log as it completes, so a crash mid-action still leaves what was sent.</summary>
public sealed class ClerkAudit(IncidentService incidents, TimeProvider time)
{
    public IDisposable Scope(string incidentId, string action, string? approvalId) =>
        ClerkCallLog.Observe(call => Write(incidentId, "request", action, approvalId, call.ToString()));

    public void Write(string incidentId, string what, string action, string? approvalId, string detail) =>
        incidents.AppendAudit(new AuditEntry
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
