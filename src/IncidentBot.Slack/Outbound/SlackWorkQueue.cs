using System.Collections.Concurrent;
using System.Threading.Channels;
using IncidentBot.Slack.Api;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Slack.Outbound;

/// <summary>
/// Slow Slack work (Web API calls) queued by whoever must answer fast: the surface under the incident lock, handlers
/// before their 3-second acknowledgement. Work runs in lanes: items of one lane (one incident, one channel) run in
/// order, so a card is posted before it is updated, while lanes run beside each other, so one slow call in INC-1's
/// channel never holds up INC-2's page. Each item has a time limit.
/// </summary>
public sealed class SlackWorkQueue
{
    /// <summary>The lane of work that belongs to no incident or channel in particular.</summary>
    public const string SharedLane = "slack";

    private readonly Channel<SlackWork> _items = Channel.CreateUnbounded<SlackWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private int _pending;
    private TaskCompletionSource _idle = Idle();

    public void Enqueue(string what, Func<CancellationToken, Task> work) => Enqueue(SharedLane, what, work);

    /// <summary>Queues <paramref name="work"/> behind the earlier work of <paramref name="lane"/> (an incident id, a channel id).</summary>
    public void Enqueue(string lane, string what, Func<CancellationToken, Task> work)
    {
        lock (_gate)
        {
            if (_pending++ == 0)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        _items.Writer.TryWrite(new SlackWork(lane, what, work));
    }

    /// <summary>Completes when no work is queued or running in any lane (tests and shutdown wait for it).</summary>
    public Task IdleAsync()
    {
        lock (_gate)
        {
            return _idle.Task;
        }
    }

    internal ChannelReader<SlackWork> Reader => _items.Reader;

    internal void Finished()
    {
        TaskCompletionSource? idle = null;
        lock (_gate)
        {
            if (--_pending == 0)
            {
                idle = _idle;
            }
        }

        idle?.TrySetResult();
    }

    private static TaskCompletionSource Idle()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }
}

internal sealed record SlackWork(string Lane, string What, Func<CancellationToken, Task> Run);

public sealed class SlackWorker(SlackWorkQueue queue, ISlackApi api, TimeProvider time, ILogger<SlackWorker> log) : BackgroundService
{
    /// <summary>How long one item (a publication: several Web API calls, with their retries) may take before it is given up.</summary>
    public static readonly TimeSpan ItemTimeLimit = TimeSpan.FromSeconds(90);

    /// <summary>At most this many lanes call Slack at once.</summary>
    public const int MaxParallelLanes = 8;

    private readonly Dictionary<string, Queue<SlackWork>> _lanes = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _parallel = new(MaxParallelLanes);
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await CheckTokenAsync(stoppingToken);
        try
        {
            await foreach (var work in queue.Reader.ReadAllAsync(stoppingToken))
            {
                lock (_lanes)
                {
                    if (_lanes.TryGetValue(work.Lane, out var waiting))
                    {
                        waiting.Enqueue(work); // the lane's runner takes it after the items before it
                        continue;
                    }

                    _lanes[work.Lane] = new Queue<SlackWork>();
                }

                var runner = RunLaneAsync(work, stoppingToken);
                _running.TryAdd(runner, 0);
                _ = runner.ContinueWith(t => _running.TryRemove(t, out _), TaskScheduler.Default);
            }
        }
        finally
        {
            await Task.WhenAll(_running.Keys);
        }
    }

    private async Task RunLaneAsync(SlackWork first, CancellationToken stoppingToken)
    {
        await Task.Yield();
        for (var work = first; work is not null; work = Next(work.Lane))
        {
            await _parallel.WaitAsync(stoppingToken);
            try
            {
                await RunAsync(work, stoppingToken);
            }
            finally
            {
                _parallel.Release();
            }
        }
    }

    private SlackWork? Next(string lane)
    {
        lock (_lanes)
        {
            if (_lanes[lane].TryDequeue(out var next))
            {
                return next;
            }

            _lanes.Remove(lane);
            return null;
        }
    }

    private async Task RunAsync(SlackWork work, CancellationToken stoppingToken)
    {
        using var limit = new CancellationTokenSource(ItemTimeLimit, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, limit.Token);
        try
        {
            await work.Run(linked.Token);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            log.LogError("Slack work '{What}' gave up after {Seconds} s; the lane {Lane} goes on with its next item", work.What, ItemTimeLimit.TotalSeconds, work.Lane);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // Each item reports its own failures to the user; this is the last resort.
            log.LogError(e, "Slack work '{What}' failed", work.What);
        }
        finally
        {
            queue.Finished();
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
