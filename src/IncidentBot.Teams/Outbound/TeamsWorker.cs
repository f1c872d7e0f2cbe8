using IncidentBot.Teams.Bridge;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Teams.Outbound;

/// <summary>Runs the queued Teams work, one item at a time; a failure is logged and the next item runs.</summary>
public sealed class TeamsWorker(TeamsWorkQueue queue, TeamsPublisher publisher, ILogger<TeamsWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var work in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                if (work.Publication is { } publication)
                {
                    await publisher.PublishAsync(publication, stoppingToken);
                }
                else if (work.Run is { } run)
                {
                    await run(stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Each item reports its own failures where people see them; this is the last resort.
                log.LogError(e, "Teams work '{What}' failed", work.What);
            }
        }
    }
}
