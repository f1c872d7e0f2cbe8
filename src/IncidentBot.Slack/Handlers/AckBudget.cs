using IncidentBot.Core.Commands;
using IncidentBot.Slack.Outbound;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.Handlers;

/// <summary>
/// Runs a command for at most the acknowledgement budget: an instant result goes into the acknowledgement, a slow
/// one (a Clerk call, say) is acknowledged with "working on it" and its result posted later.
/// </summary>
public sealed class AckBudget(IOptions<SlackOptions> options, TimeProvider time)
{
    /// <summary>The result if it finished within the budget, else null (the task keeps running).</summary>
    public async Task<CommandResult?> WaitAsync(Task<CommandResult> work, CancellationToken cancellationToken)
    {
        if (work.IsCompleted)
        {
            // Most commands finish without waiting on anything: no timer for them.
            return await work;
        }

        try
        {
            // The timer is disposed as soon as the work finishes, rather than left running for the whole budget.
            return await work.WaitAsync(TimeSpan.FromMilliseconds(options.Value.AckBudgetMilliseconds), time, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && cancellationToken.IsCancellationRequested && !work.IsCanceled))
        {
            return null;
        }
    }

    /// <summary>
    /// Queues <paramref name="next"/> for when <paramref name="work"/> has finished, without holding the worker while it
    /// runs (its own publications are queued meanwhile in the incident's lane, so <paramref name="next"/>, queued in the same lane, comes after them). <paramref name="work"/> must not throw.
    /// </summary>
    public static void Then(Task<CommandResult> work, SlackWorkQueue queue, string what, Func<CommandResult, CancellationToken, Task> next) =>
        work.ContinueWith(done => queue.Enqueue(done.Result.IncidentId ?? SlackWorkQueue.SharedLane, what, ct => next(done.Result, ct)), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
