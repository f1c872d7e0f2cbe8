using IncidentBot.Core.Service;

namespace IncidentBot.Core.Approvals;

/// <summary>
/// When an incident is resolved, closed or cancelled, every request still waiting for approval is withdrawn, so an old
/// Approve button can't run it (a reopened incident asks again).
/// </summary>
public sealed class WithdrawOnFinish(ApprovalLedger ledger) : IIncidentReactor
{
    public void AfterChange(IncidentChange change)
    {
        if (change.Incident.IsOpen || !Incidents.Incident.IsOpenState(change.StateBefore))
        {
            return;
        }

        foreach (var request in change.Incident.Approvals.Where(a => a.State == ApprovalState.Pending))
        {
            ledger.Withdraw(change, request);
        }
    }
}
