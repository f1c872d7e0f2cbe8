using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using IncidentBot.Clerk.Api;
using IncidentBot.Sync.Resync;

namespace IncidentBot.Sync.Gap;

/// <summary>
/// Clerk's users, page by page, with the starting_after cursor: the spec's way to walk deep (an offset slows down
/// and times out). The cursor needs Clerk's default created_at ordering, so pages come newest first, not by id.
/// A fetcher runs up to <see cref="Ahead"/> pages ahead of the caller (each page's cursor is the one before's last
/// id), so the rate limiter's permits keep being used while the caller writes a batch. Calls go through the typed
/// client, so its rate limiter and retry handler apply.
/// </summary>
public static class ClerkPages
{
    /// <summary>Pages fetched and waiting for the caller at most (memory: this many pages of users).</summary>
    public const int Ahead = 3;

    public static IAsyncEnumerable<IReadOnlyList<ClerkUser>> WalkAsync(IClerkClient clerk, int limit, string? after, CancellationToken cancellationToken) =>
        WalkAsync(clerk, new UserQuery(Limit: limit), after, Ahead, cancellationToken);

    /// <summary>The users <paramref name="query"/> selects (its limit is the page size), the same query on every page as the cursor requires.</summary>
    public static async IAsyncEnumerable<IReadOnlyList<ClerkUser>> WalkAsync(
        IClerkClient clerk, UserQuery query, string? after, int ahead, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        query = query with { Limit = Math.Clamp(query.Limit ?? ClerkClient.MaxLimit, 1, ClerkClient.MaxLimit), StartingAfter = null };
        var pages = Channel.CreateBounded<IReadOnlyList<ClerkUser>>(new BoundedChannelOptions(Math.Max(1, ahead)) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var fetcher = FetchAsync(clerk, query, after, pages.Writer, stop.Token);
        try
        {
            await foreach (var page in pages.Reader.ReadAllAsync(cancellationToken))
            {
                yield return page;
            }

            await fetcher; // surfaces nothing new: a failure already completed the channel with it
        }
        finally
        {
            // The caller stopped early (or failed): stop fetching and let the fetcher finish before leaving.
            await stop.CancelAsync();
            try
            {
                await fetcher;
            }
            catch (OperationCanceledException)
            {
            }
            catch (ChannelClosedException)
            {
            }
        }
    }

    /// <summary>
    /// Every user once, in no particular order: the created_at ranges of <see cref="ResyncRanges.PlanAsync"/> walked by
    /// up to <paramref name="walkers"/> at once, each page cut to its range. For a caller that doesn't need Clerk's
    /// order (the gap sorts by id anyway): against Clerk's latency one cursor has one page in flight, several have
    /// several. The first walk to fail stops the others, and its failure is the one the caller sees.
    /// </summary>
    public static async IAsyncEnumerable<IReadOnlyList<ClerkUser>> WalkAllAsync(
        IClerkClient clerk, int limit, int walkers, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var ranges = new ConcurrentQueue<ResyncRange>(await ResyncRanges.PlanAsync(clerk, walkers, limit, null, cancellationToken));
        var pages = Channel.CreateBounded<IReadOnlyList<ClerkUser>>(new BoundedChannelOptions(Math.Max(1, walkers)) { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var done = Walkers.RunAsync(
                Enumerable.Range(0, Math.Clamp(walkers, 1, ranges.Count)).Select(_ => (Func<CancellationToken, Task>)(token => WalkRangesAsync(clerk, limit, ranges, pages.Writer, token))),
                stop.Token)
            .ContinueWith(walked => pages.Writer.TryComplete(walked.Exception?.InnerException), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        try
        {
            await foreach (var page in pages.Reader.ReadAllAsync(cancellationToken))
            {
                yield return page;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await done;
        }
    }

    private static async Task WalkRangesAsync(
        IClerkClient clerk, int limit, ConcurrentQueue<ResyncRange> ranges, ChannelWriter<IReadOnlyList<ClerkUser>> pages, CancellationToken cancellationToken)
    {
        while (ranges.TryDequeue(out var range))
        {
            await foreach (var page in WalkAsync(clerk, range.Query(limit), null, 1, cancellationToken))
            {
                var mine = page.Where(range.Holds).ToList();
                if (mine.Count > 0)
                {
                    await pages.WriteAsync(mine, cancellationToken);
                }
            }
        }
    }

    private static async Task FetchAsync(IClerkClient clerk, UserQuery query, string? after, ChannelWriter<IReadOnlyList<ClerkUser>> pages, CancellationToken cancellationToken)
    {
        var limit = query.Limit!.Value;
        try
        {
            while (true)
            {
                var page = await clerk.ListUsersAsync(query with { StartingAfter = after }, cancellationToken);
                if (page.Count > 0)
                {
                    await pages.WriteAsync(page, cancellationToken);
                }

                if (page.Count < limit)
                {
                    break;
                }

                after = page[^1].Id;
            }

            pages.TryComplete();
        }
        catch (Exception e)
        {
            pages.TryComplete(e);
        }
    }
}
