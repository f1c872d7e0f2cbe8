using IncidentBot.Clerk.Api;

namespace IncidentBot.Sync.Resync;

/// <summary>
/// A slice of Clerk's users by created_at, walked newest first with its own starting_after cursor: <see cref="From"/>
/// inclusive, <see cref="To"/> exclusive, Unix milliseconds; null is open. The ranges of a resync cover every instant
/// once, so every user is in exactly one. A walker left without work splits a range being walked
/// (<see cref="SplitBelow"/>): the range's walk stops at the split and the part below it becomes a range of its own.
/// A plain class with settable properties so LiteDB and JSON both map it.
/// </summary>
public sealed class ResyncRange
{
    public long? From { get; set; }

    public long? To { get; set; }

    /// <summary>
    /// The created_at_after sent with every page, fixed when the range is made: the cursor needs the same parameters
    /// on every page, so a split raises <see cref="From"/> but not this. The spec doesn't say whether the bounds are
    /// inclusive, so it is a millisecond below From and <see cref="Holds"/> drops what lies outside: exact either way.
    /// </summary>
    public long? After { get; set; }

    /// <summary>The created_at of the oldest user the walk has taken so far (it goes newest first); null before its first page.</summary>
    public long? Reached { get; set; }

    /// <summary>The last Clerk user of the last page committed (the next page's cursor); null before the first.</summary>
    public string? LastClerkId { get; set; }

    /// <summary>The last few ids of that page, in walk order (the resume point if the last one is deleted in Clerk meanwhile).</summary>
    public List<string> RecentIds { get; set; } = [];

    public bool Finished { get; set; }

    /// <summary>The created_at span of the range's last page, its newest user to its oldest: the time a page covers here.</summary>
    public long PageSpan { get; set; }

    public ResyncRange Clone() => new()
    {
        From = From, To = To, After = After, Reached = Reached, LastClerkId = LastClerkId, RecentIds = [.. RecentIds], Finished = Finished, PageSpan = PageSpan,
    };

    public static ResyncRange Between(long? from, long? to) => new() { From = from, To = to, After = from - 1 };

    public UserQuery Query(int limit) => new(Limit: limit, CreatedAfter: After, CreatedBefore: To);

    public bool Holds(ClerkUser user) => (From is null || user.CreatedAt >= From) && (To is null || user.CreatedAt < To);

    /// <summary>A page that ends below <see cref="From"/> is the range's last: what follows belongs to the ranges below.</summary>
    public bool EndsWith(IReadOnlyList<ClerkUser> page) => From is { } from && page[^1].CreatedAt < from;

    /// <summary>How much of the range is left to walk, in milliseconds; 0 when it can't be split.</summary>
    public long Left => !Finished && From is { } from && Reached is { } reached ? Math.Max(0, reached - from) : 0;

    /// <summary>About how many pages are left to walk, at the last page's density of users; 0 when it can't be split.</summary>
    public double PagesLeft => Left / (double)Math.Max(1, PageSpan);

    /// <summary>
    /// Gives the lower half of what is left to a new range and stops this one at the split. The split is at or below
    /// <see cref="Reached"/>, so no page this walk has taken holds a user of the new range; later pages drop them.
    /// </summary>
    public ResyncRange SplitBelow()
    {
        var from = From!.Value;
        var split = from + ((Reached!.Value - from + 1) / 2);
        From = split;
        return Between(from, split);
    }

    public override string ToString() => $"[{From?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-inf"}, {To?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "+inf"})";
}

/// <summary>How a resync splits Clerk's users into created_at ranges for its walkers.</summary>
public static class ResyncRanges
{
    /// <summary>Ranges per walker to begin with; walkers left without work split the ranges still being walked.</summary>
    public const int PerWalker = 4;

    /// <summary>
    /// One open range for one walker or a single page of users; otherwise the time from the oldest user's created_at
    /// to the newest's cut into equal spans (two requests: the newest and the oldest user), the first and last
    /// ranges left open so users created before or after them are still walked. As many ranges as two pages of
    /// users each would fill, at most <see cref="PerWalker"/> per walker: each range ends on a short page, which costs
    /// a request from the rate limit. Newest ranges first: they tend to be the fullest, and it is the order Clerk
    /// lists users in. <paramref name="total"/> null: counted here (one more request).
    /// </summary>
    public static async Task<List<ResyncRange>> PlanAsync(IClerkClient clerk, int walkers, int limit, long? total, CancellationToken cancellationToken)
    {
        if (walkers <= 1)
        {
            return [new ResyncRange()];
        }

        var users = total ?? await clerk.CountUsersAsync(new UserQuery(), cancellationToken);
        var wanted = Math.Min((long)walkers * PerWalker, users / (2L * Math.Max(1, limit)));
        if (wanted <= 1)
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
        var count = (int)Math.Min(wanted, span);
        var bounds = Enumerable.Range(1, count - 1).Select(k => first + (long)((Int128)span * k / count)).ToList();
        var ranges = new List<ResyncRange>(count);
        for (var k = count - 1; k >= 0; k--)
        {
            ranges.Add(ResyncRange.Between(k == 0 ? null : bounds[k - 1], k == count - 1 ? null : bounds[k]));
        }

        return ranges;
    }
}
