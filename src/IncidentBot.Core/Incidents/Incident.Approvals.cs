using IncidentBot.Core.Approvals;

namespace IncidentBot.Core.Incidents;

/// <summary>What the approval gate keeps on the incident, so it is saved under the same lock and in the same commit.</summary>
public sealed partial class Incident
{
    /// <summary>Every action requested for this incident, with its decisions and results.</summary>
    public List<ApprovalRequest> Approvals { get; set; } = [];

    /// <summary>The switches a hook turned on and nothing has turned off yet (emergency bypass, webhook pause).</summary>
    public List<SwitchOn> Switches { get; set; } = [];

    public SwitchOn? Switch(string name) => Switches.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>What the bot did for check and action steps: a check's verdict, or why it could not request the action.</summary>
    public List<StepRun> StepRuns { get; set; } = [];

    /// <summary>Records what the bot did for a step, replacing what it did before.</summary>
    public StepRun RunOf(string stepId, DateTimeOffset at)
    {
        StepRuns.RemoveAll(r => r.StepId == stepId);
        var run = new StepRun { StepId = stepId, At = at };
        StepRuns.Add(run);
        return run;
    }

    /// <summary>Steps whose check ran or whose action was requested by the bot when they became current.</summary>
    public List<string> AutomatedSteps { get; set; } = [];

    public ApprovalRequest? FindApproval(string id) =>
        Approvals.FirstOrDefault(a => string.Equals(a.Id, id, StringComparison.OrdinalIgnoreCase));
}
