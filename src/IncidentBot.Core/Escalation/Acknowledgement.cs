using IncidentBot.Core.Incidents;

namespace IncidentBot.Core.Escalation;

/// <summary>
/// What <c>ack</c> does. A declared incident is acknowledged by its state machine (the reactor then stops the chain).
/// A reopened incident is already Investigating, yet its restarted chain still needs an acknowledgement: <c>ack</c>
/// stops that chain without a state change.
/// </summary>
public static class Acknowledgement
{
    public static Outcome Acknowledge(Incident incident, string by, DateTimeOffset at)
    {
        if (incident.State != IncidentState.Declared && incident.IsOpen && incident.Escalation is { } state && EscalationChain.Acknowledge(state, by, at))
        {
            return Outcome.Done($"{incident.Id}: {EscalationChain.Stopped(state, at)}");
        }

        return incident.Acknowledge(by, at);
    }
}
