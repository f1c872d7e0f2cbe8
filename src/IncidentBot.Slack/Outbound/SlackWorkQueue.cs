using System.Threading.Channels;
using IncidentBot.Slack.Api;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Slack.Outbound;

/// <summary>
/// Slow Slack work (Web API calls) queued by whoever must answer fast: the surface under the incident lock, handlers
/// before their 3-second acknowledgement. One worker runs the items in order, so a card is posted before it is updated.
/// </summary>
public sealed class SlackWorkQueue
{
    private readonly Channel<SlackWork> _items = Channel.CreateUnbounded<SlackWork>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(string what, Func<CancellationToken, Task> work) => _items.Writer.TryWrite(new SlackWork(what, work));

    internal ChannelReader<SlackWork> Reader => _items.Reader;
}

internal sealed record SlackWork(string What, Func<CancellationToken, Task> Run);

public sealed class SlackWorker(SlackWorkQueue queue, ISlackApi api, ILogger<SlackWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await CheckTokenAsync(stoppingToken);
        await foreach (var work in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await work.Run(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Each item reports its own failures to the user; this is the last resort.
                log.LogError(e, "Slack work '{What}' failed", work.What);
            }
        }
    }

    /// <summary>auth.test once at start-up, so a wrong or revoked token shows in the log at once, not at the first incident.</summary>
    private async Task CheckTokenAsync(CancellationToken cancellationToken)
    {
        try
        {
            var me = await api.AuthTestAsync(cancellationToken);
            log.LogInformation("Slack bot token works: bot user {UserId} in workspace {Team}", me.UserId, me.Team);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Whatever it was (a timeout too), the worker must go on: an exception here would stop the whole host.
            log.LogWarning("Slack bot token check failed: {Problem}", e is OperationCanceledException ? "no answer in time" : e.Message);
        }
    }
}
