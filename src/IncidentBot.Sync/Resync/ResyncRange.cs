using IncidentBot.Clerk.Api;

namespace IncidentBot.Sync.Resync;

/// <summary>
/// A slice of Clerk's users by created_at, walked with its own starting_after cursor: <see cref="From"/> inclusive,
/// <see cref="To"/> exclusive, Unix milliseconds; null is open. The ranges of a resync cover every instant once, so
/// every user is in exactly one. A plain class with settable properties so LiteDB and JSON both map it.
/// </summary>
public sealed class ResyncRange
{
    public long? From { get; set; }

    public long? To { get; set; }

    /// <summary>The last Clerk user of the last page committed (the next page's cursor); null before the first.</summary>
    public string? LastClerkId { get; set; }

    /// <summary>The last few ids of that page, in walk order (the resume point if the last one is deleted in Clerk meanwhile).</summary>
    public List<string> RecentIds { get; set; } = [];

    public bool Finished { get; set; }

    /// <summary>
    /// The spec doesn't say whether created_at_after and created_at_before are inclusive, so the query is widened by a
    /// millisecond below (after From - 1) and <see cref="Holds"/> drops what lies outside: exact either way.
    /// The same parameters on every page, as the cursor requires.
    /// </summary>
    public UserQuery Query(int limit) => new(Limit: limit, CreatedAfter: From - 1, CreatedBefore: To);

    public bool Holds(ClerkUser user) => (From is null || user.CreatedAt >= From) && (To is null || user.CreatedAt < To);

    public override string ToString() => $"[{From?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-inf"}, {To?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "+inf"})";
}

/// <summary>How a resync splits Clerk's users into created_at ranges for its walkers.</summary>
public static class ResyncRanges
{
    /// <summary>Ranges per walker: users are not spread evenly over time, so more ranges than walkers keep them all busy to the end.</summary>
    public const int PerWalker = 4;

    /// <summary>
    /// One open range for one walker or a single page of users; otherwise the time from the oldest user's created_at
    /// to the newest's cut into equal spans (two requests: the newest and the oldest user), the first and last
    /// ranges left open so users created before or after them are still walked. Newest ranges first: they tend to be
    /// the fullest, and it is the order Clerk lists users in.
    /// </summary>
    public static async Task<List<ResyncRange>> PlanAsync(IClerkClient clerk, int walkers, long total, CancellationToken cancellationToken)
    {
        if (walkers <= 1 || total <= ClerkClient.MaxLimit)
        {
            return [new ResyncRange()];
        }

        var newest = await clerk.ListUsersAsync(new UserQuery(Limit: 1), cancellationToken);
        var oldest = await clerk.ListUsersAsync(new UserQuery(Limit: 1, OldestFirst: true), cancellationToken);
        if (newest.Count == 0 || oldest.Count == 0)
        {
            return [new ResyncRange()];
        }

        var first = oldest[0].CreatedAt;
        var span = Math.Max(1, newest[0].CreatedAt - first + 1);
        var count = (int)Math.Min((long)walkers * PerWalker, span);
        var bounds = Enumerable.Range(1, count - 1).Select(k => first + (long)((Int128)span * k / count)).ToList();
        var ranges = new List<ResyncRange>(count);
        for (var k = count - 1; k >= 0; k--)
        {
            ranges.Add(new ResyncRange { From = k == 0 ? null : bounds[k - 1], To = k == count - 1 ? null : bounds[k] });
        }

        return ranges;
    }
}
