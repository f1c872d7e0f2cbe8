using System.Threading.Channels;
using IncidentBot.Core.Runbooks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Core.Approvals;

/// <summary>Step automation waiting to run, in order; tests and the shell can wait until all of it has finished.</summary>
public sealed class BackgroundWork
{
    private readonly Channel<(StepWork Work, TaskCompletionSource Done)> _queue = Channel.CreateUnbounded<(StepWork, TaskCompletionSource)>();
    private readonly Lock _gate = new();
    private readonly List<Task> _pending = [];

    public void Enqueue(StepWork work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _pending.RemoveAll(t => t.IsCompleted);
            _pending.Add(done.Task);
        }

        _queue.Writer.TryWrite((work, done));
    }

    /// <summary>Counts work started elsewhere (a resumed action) as pending, so <see cref="IdleAsync"/> waits for it too.</summary>
    public void Track(Task task)
    {
        lock (_gate)
        {
            _pending.RemoveAll(t => t.IsCompleted);
            _pending.Add(task);
        }
    }

    internal ChannelReader<(StepWork Work, TaskCompletionSource Done)> Reader => _queue.Reader;

    /// <summary>Waits until all work queued so far (and any it queued) has finished.</summary>
    public async Task IdleAsync()
    {
        while (true)
        {
            Task[] pending;
            lock (_gate)
            {
                pending = _pending.Where(t => !t.IsCompleted).ToArray();
            }

            if (pending.Length == 0)
            {
                return;
            }

            await Task.WhenAll(pending);
        }
    }
}

/// <summary>
/// Runs queued step automation: each item at once, concurrently (one slow check must not hold up another incident),
/// on the host's stopping token, and waits for what is running when the host stops. A stop that cuts a step off before
/// it posted anything is caught up at the next start (<see cref="AutomationRecovery"/>).
/// </summary>
public sealed class StepAutomationWorker(BackgroundWork work, ApprovalService approvals, CheckService checks, ILogger<StepAutomationWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new List<Task>();
        try
        {
            await foreach (var (item, done) in work.Reader.ReadAllAsync(stoppingToken))
            {
                running.RemoveAll(t => t.IsCompleted);
                running.Add(RunAsync(item, done, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await Task.WhenAll(running);
        }
    }

    private async Task RunAsync(StepWork item, TaskCompletionSource done, CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            var step = item.Step;
            if (step.Kind == StepKind.Check)
            {
                await checks.RunAndPostAsync(item.IncidentId, step.Check!, step.With, step.Id, stoppingToken);
                return;
            }

            // A refusal is recorded on the step and said in the room by the service.
            await approvals.RequestAsync(item.IncidentId, item.Requester, null, step.Action!, [], new Dictionary<string, string>(step.With), false, step.Id, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            log.LogInformation("Step automation {Work} stopped by shutdown; it starts again at the next start-up", item);
        }
        catch (Exception e)
        {
            log.LogError(e, "Step automation failed: {Work}", item);
        }
        finally
        {
            done.TrySetResult();
        }
    }
}
