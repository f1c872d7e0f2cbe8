using System.Runtime.CompilerServices;
using System.Threading.Channels;
using IncidentBot.Clerk.Api;

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

    public static async IAsyncEnumerable<IReadOnlyList<ClerkUser>> WalkAsync(
        IClerkClient clerk, int limit, string? after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        limit = Math.Clamp(limit, 1, ClerkClient.MaxLimit);
        var pages = Channel.CreateBounded<IReadOnlyList<ClerkUser>>(new BoundedChannelOptions(Ahead) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var fetcher = FetchAsync(clerk, limit, after, pages.Writer, stop.Token);
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

    private static async Task FetchAsync(IClerkClient clerk, int limit, string? after, ChannelWriter<IReadOnlyList<ClerkUser>> pages, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var page = await clerk.ListUsersAsync(new UserQuery(Limit: limit, StartingAfter: after), cancellationToken);
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
