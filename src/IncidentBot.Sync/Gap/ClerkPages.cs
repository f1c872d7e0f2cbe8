using System.Runtime.CompilerServices;
using IncidentBot.Clerk.Api;

namespace IncidentBot.Sync.Gap;

/// <summary>
/// Clerk's users, page by page, with the starting_after cursor: the spec's way to walk deep (an offset slows down
/// and times out). The cursor needs Clerk's default created_at ordering, so pages come newest first, not by id.
/// The next page is fetched while the caller works on the current one. Calls go through the typed client, so its
/// rate limiter and retry handler apply.
/// </summary>
public static class ClerkPages
{
    public static async IAsyncEnumerable<IReadOnlyList<ClerkUser>> WalkAsync(
        IClerkClient clerk, int limit, string? after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        limit = Math.Clamp(limit, 1, ClerkClient.MaxLimit);
        var next = clerk.ListUsersAsync(new UserQuery(Limit: limit, StartingAfter: after), cancellationToken);
        while (true)
        {
            var page = await next;
            var full = page.Count == limit;
            if (full)
            {
                next = clerk.ListUsersAsync(new UserQuery(Limit: limit, StartingAfter: page[^1].Id), cancellationToken);
            }

            if (page.Count > 0)
            {
                yield return page;
            }

            if (!full)
            {
                yield break;
            }
        }
    }
}
