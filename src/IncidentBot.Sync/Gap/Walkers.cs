using System.Runtime.ExceptionServices;

namespace IncidentBot.Sync.Gap;

/// <summary>Several walks of Clerk run together (the resync's and the gap's).</summary>
internal static class Walkers
{
    /// <summary>
    /// Runs every walk on the thread pool; the first to fail cancels the others, and its failure, not a cancellation
    /// it caused, is the one thrown. A cancellation of <paramref name="cancellationToken"/> is thrown as one.
    /// </summary>
    public static async Task RunAsync(IEnumerable<Func<CancellationToken, Task>> walks, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = walks.Select(walk => Task.Run(async () =>
        {
            try
            {
                await walk(stop.Token);
            }
            catch
            {
                await stop.CancelAsync();
                throw;
            }
        }, CancellationToken.None)).ToList();
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (Exception) when (tasks.Select(t => t.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException) is { } first)
        {
            ExceptionDispatchInfo.Throw(first);
        }
    }
}
