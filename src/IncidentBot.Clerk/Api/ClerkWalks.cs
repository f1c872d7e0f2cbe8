using System.Runtime.CompilerServices;

namespace IncidentBot.Clerk.Api;

/// <summary>Walks that take more than one call.</summary>
public static class ClerkWalks
{
    /// <summary>
    /// Every user matching <paramref name="query"/>, 500 a page, with the starting_after cursor (the spec's advice
    /// for deep walks: a large offset slows down and times out). Stops at a page shorter than the limit.
    /// </summary>
    public static async IAsyncEnumerable<ClerkUser> AllUsersAsync(this IClerkClient clerk, UserQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var limit = Math.Clamp(query.Limit ?? ClerkClient.MaxLimit, 1, ClerkClient.MaxLimit);
        string? cursor = null;
        while (true)
        {
            var page = await clerk.ListUsersAsync(query with { Limit = limit, StartingAfter = cursor }, cancellationToken);
            foreach (var user in page)
            {
                yield return user;
            }

            if (page.Count < limit)
            {
                yield break;
            }

            cursor = page[^1].Id;
        }
    }
}
