using System.Globalization;
using IncidentBot.Clerk.Api;
using IncidentBot.Sync.Sink;

namespace IncidentBot.Sync.Gap;

/// <summary>A count and the first few Clerk ids (with the differing fields for stale rows). Ids only: no emails in chat.</summary>
public sealed record GapCount(long Count, IReadOnlyList<string> Examples);

/// <summary>What <c>sync.gap</c> found. <see cref="IsZero"/>: the table matches Clerk.</summary>
public sealed record GapReport(long ClerkUsers, long Rows, GapCount Missing, GapCount Stale, GapCount Orphans, int SpilledRuns)
{
    public bool IsZero => Missing.Count == 0 && Stale.Count == 0 && Orphans.Count == 0;

    public string Summary => IsZero
        ? $"The table matches Clerk: {N(ClerkUsers)} Clerk users, {N(Rows)} rows."
        : $"{N(Missing.Count)} missing, {N(Stale.Count)} stale, {N(Orphans.Count)} orphaned ({N(ClerkUsers)} Clerk users, {N(Rows)} rows).";

    public IReadOnlyList<string> Lines =>
    [
        Line("Missing from the table", Missing),
        Line("Stale (mapped fields differ)", Stale),
        Line("Orphans (no such Clerk user)", Orphans),
    ];

    private static string Line(string label, GapCount count) =>
        $"{label}: {N(count.Count)}" + (count.Examples.Count == 0 ? "" : $" (e.g. {string.Join(", ", count.Examples)})");

    internal static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}

/// <summary>
/// <c>sync.gap</c>: walk every Clerk user (pages of up to 500 through the typed client, Sync:Walkers created_at ranges
/// at once) and every row, and count the users missing from the table, the stale rows and the orphans. Memory stays
/// bounded: the Clerk side is sorted by id in bounded runs, the table is streamed in id order, and only counts and a
/// few examples are kept.
/// </summary>
public sealed class SyncGap(IClerkClient clerk, SyncDatabase db)
{
    public async Task<GapReport> CheckAsync(CancellationToken cancellationToken)
    {
        var facts = await FactsAsync(db, cancellationToken);
        await using var sorted = await SortClerkAsync(clerk, db.Options, cancellationToken);
        var examples = Math.Max(0, db.Options.Examples);
        var tallies = new[] { new Tally(examples), new Tally(examples), new Tally(examples) };
        long rows = 0;
        await foreach (var item in GapMerge.DiffAsync(db, facts, sorted, n => rows = n, cancellationToken))
        {
            tallies[(int)item.Kind].Add(item.Kind == GapKind.Stale ? $"{item.ClerkId} ({string.Join(", ", item.Fields)})" : item.ClerkId);
        }

        return new GapReport(sorted.Count, rows, tallies[0].Result, tallies[1].Result, tallies[2].Result, sorted.SpilledRuns);
    }

    /// <summary>Every Clerk user's mapped fields, sorted by id in bounded memory.</summary>
    internal static Task<SortedUsers> SortClerkAsync(IClerkClient clerk, SyncOptions options, CancellationToken cancellationToken) =>
        SortedUsers.BuildAsync(Flatten(clerk, options, cancellationToken), options.SortRunSize, cancellationToken);

    /// <summary>The schema check's facts, checking now if it has not passed yet; a failed check throws its problems.</summary>
    internal static async Task<SchemaFacts> FactsAsync(SyncDatabase db, CancellationToken cancellationToken)
    {
        if (db.Facts is { } facts)
        {
            return facts;
        }

        var report = await SyncSchema.CheckAsync(db, cancellationToken);
        return report.Facts ?? throw new SyncDatabaseException(string.Join(" ", report.Problems));
    }

    private static async IAsyncEnumerable<SyncUser> Flatten(IClerkClient clerk, SyncOptions options, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var page in ClerkPages.WalkAllAsync(clerk, options.BatchSize, options.Walkers, cancellationToken))
        {
            foreach (var user in page)
            {
                yield return SyncUser.From(user);
            }
        }
    }

    private sealed class Tally(int keep)
    {
        private readonly List<string> _examples = [];
        private long _count;

        public void Add(string example)
        {
            _count++;
            if (_examples.Count < keep)
            {
                _examples.Add(example);
            }
        }

        public GapCount Result => new(_count, _examples);
    }
}
