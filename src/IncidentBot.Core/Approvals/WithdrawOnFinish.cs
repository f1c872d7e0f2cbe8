using IncidentBot.Core.Service;

namespace IncidentBot.Core.Approvals;

/// <summary>When an incident is closed or cancelled, every request still waiting for approval is withdrawn, so an old Approve button can't run it.</summary>
public sealed class WithdrawOnFinish(Lazy<ApprovalService> approvals) : IIncidentReactor
{
    public void AfterChange(IncidentChange change)
    {
        if (!change.Incident.IsFinished || change.StateBefore is Incidents.IncidentState.Closed or Incidents.IncidentState.Cancelled)
        {
            return;
        }

        foreach (var request in change.Incident.Approvals.Where(a => a.State == ApprovalState.Pending))
        {
            approvals.Value.Withdraw(change, request);
        }
    }
}
