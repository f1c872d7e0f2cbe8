using IncidentBot.Core;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Hosting.Operations;

/// <summary>
/// Sees every publication beside the real chat platforms and counts and logs the pages (direct messages) in it. A page
/// a platform then fails to deliver is that platform's to report through <see cref="Core.Escalation.IPageFailures"/>, where
/// <see cref="PageFailureCounter"/> counts it. A drill's pages are logged but not counted.
/// </summary>
public sealed class PageCounter(BotMetrics metrics, ILogger<PageCounter> log) : IChatSurface
{
    public string Platform => "operations";

    public Task PublishAsync(Publication publication, CancellationToken cancellationToken)
    {
        foreach (var page in publication.Directs)
        {
            if (!publication.Incident.Drill)
            {
                metrics.Pages.WithLabels(BotMetrics.PageSent).Inc();
            }

            log.LogInformation("{IncidentId} page sent to {Person}", publication.Incident.Id, page.PersonName);
        }

        return Task.CompletedTask;
    }
}
