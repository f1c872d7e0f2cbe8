using IncidentBot.Core.Commands;
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
        var budget = Task.Delay(TimeSpan.FromMilliseconds(options.Value.AckBudgetMilliseconds), time, cancellationToken);
        return await Task.WhenAny(work, budget) == work ? await work : null;
    }
}
