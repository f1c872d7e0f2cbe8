namespace IncidentBot.Core.Service;

/// <summary>
/// A piece of the product that follows every successful change of an incident (escalation, say). It runs
/// under the incident's lock, after the change and before the save, so what it adds lands in the same commit.
/// </summary>
public interface IIncidentReactor
{
    void AfterChange(IncidentChange change);
}
