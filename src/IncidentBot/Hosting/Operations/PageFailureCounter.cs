using IncidentBot.Core;
using IncidentBot.Core.Escalation;

namespace IncidentBot.Hosting.Operations;

/// <summary>
/// Counts each page a chat platform reports it could not deliver (<c>incidentbot_pages_total{outcome="failed"}</c>),
/// then hands the report on to escalation, which tells the room and pages the next level. A drill's are not counted.
/// </summary>
public sealed class PageFailureCounter(PageFailures inner, BotMetrics metrics, IIncidentStore store) : IPageFailures
{
    public Task UndeliveredAsync(string incidentId, string person, string why, CancellationToken cancellationToken)
    {
        if (store.Find(incidentId)?.Drill != true)
        {
            metrics.Pages.WithLabels(BotMetrics.PageFailed).Inc();
        }

        return inner.UndeliveredAsync(incidentId, person, why, cancellationToken);
    }
}
