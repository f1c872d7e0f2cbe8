using System.Collections.Concurrent;
using IncidentBot.Sync.Gap;
using IncidentBot.Sync.Sink;

namespace IncidentBot.Sync.Resync;

/// <summary>
/// The users phase of one resync: up to <c>Sync:Walkers</c> walkers take the checkpoint's unfinished ranges one at a
/// time and walk each with its own cursor, one page ahead, writing each page as one batch. A walker that finds no range
/// left splits the one with the most pages left to walk (<see cref="ResyncRange.SplitBelow"/>), so the walkers finish
/// together however unevenly users are spread over time. Everything a walker changes in the checkpoint (its range's
/// cursor, a split, the counts) is changed under one lock, a batch's after it committed, and a copy taken there is
/// saved, so a saved checkpoint never claims a batch that is not in the table. The first walker to fail stops the others, and its
/// failure is the one the caller sees.
/// </summary>
internal sealed class ResyncWalk(SyncResync resync, ResyncCheckpoint checkpoint, SchemaFacts facts, IResyncCheckpointStore checkpoints, Func<bool, Task> reportAsync)
{
    /// <summary>
    /// A range is split only while about this many pages of it are left (and so at least as many milliseconds). Each
    /// split costs about a request from the rate limit (the new range ends on a short page, and the page its walker
    /// fetched ahead may cross the split), so a range is split only when both halves are worth a walker: about two
    /// pages each, one of the upper half's perhaps already in flight.
    /// </summary>
    private const double SplitPagesAtLeast = 4;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _saving = new(1, 1);
    private long _version;
    private Saved? _latest;
    private long _savedVersion;
    private readonly HashSet<ResyncRange> _walking = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task RunAsync(int walkers, CancellationToken cancellationToken)
    {
        // Newest ranges first (the plan's order), so the fullest start first.
        var pending = new ConcurrentQueue<ResyncRange>(checkpoint.Ranges.Where(r => !r.Finished));
        // A walker's first range is taken before any walker looks for one to split, so none gives up before the others began.
        var starting = Enumerable.Range(0, Math.Max(1, walkers)).Select(_ => pending.TryDequeue(out var range) ? range : null).ToList();
        foreach (var range in starting.OfType<ResyncRange>())
        {
            _walking.Add(range);
        }

        await Walkers.RunAsync(starting.Select(range => (Func<CancellationToken, Task>)(token => WalkerAsync(range, pending, token))), cancellationToken);
    }

    private async Task WalkerAsync(ResyncRange? range, ConcurrentQueue<ResyncRange> pending, CancellationToken cancellationToken)
    {
        while ((range ?? await NextAsync(pending, cancellationToken)) is { } next)
        {
            await WalkRangeAsync(next, cancellationToken);
            range = null;
        }
    }

    /// <summary>
    /// The lower half of the range with the most pages left to walk, split off it; if none is worth splitting yet (just
    /// begun, or nearly done), waits for a walker's next page and looks again. Null when every range is finished.
    /// </summary>
    private async Task<ResyncRange?> SplitAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task? changed = null;
            ResyncRange? split = null;
            long version = 0;
            await _gate.WaitAsync(cancellationToken);
            try
            {
                if (_walking.Count == 0)
                {
                    return null;
                }

                var widest = _walking.MaxBy(r => r.PagesLeft)!;
                if (widest.PagesLeft >= SplitPagesAtLeast)
                {
                    var lower = widest.SplitBelow();
                    checkpoint.Ranges.Add(lower);
                    _walking.Add(lower);
                    version = Snapshot();
                    split = lower;
                }
                else
                {
                    changed = _changed.Task;
                }

            }
            finally
            {
                _gate.Release();
            }

            if (split is not null)
            {
                await SaveAsync(version, cancellationToken);
                return split;
            }

            await changed!.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Under the lock: wakes the walkers waiting for a range to split.</summary>
    private void Changed() => Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private async Task<ResyncRange?> NextAsync(ConcurrentQueue<ResyncRange> pending, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (pending.TryDequeue(out var range))
            {
                _walking.Add(range);
                return range;
            }
        }
        finally
        {
            _gate.Release();
        }

        return await SplitAsync(cancellationToken);
    }

    private async Task WalkRangeAsync(ResyncRange range, CancellationToken cancellationToken)
    {
        var (cursor, done) = await resync.ResumePointAsync(range, checkpoint, cancellationToken);
        await foreach (var page in ClerkPages.WalkAsync(resync.Clerk, range.Query(resync.BatchSize), cursor, ahead: 1, cancellationToken))
        {
            // Users outside the range (the query is a millisecond wider, and a split may have raised From) belong to
            // others; after stepping back to an earlier cursor, the users already done come round again: skip both.
            // From is read and Reached moved under the lock, so a split never falls above a page already taken.
            List<SyncUser> batch = [];
            var last = false;
            await WithGateAsync(() =>
            {
                range.Reached = Math.Min(range.Reached ?? long.MaxValue, page[^1].CreatedAt);
                range.PageSpan = page[0].CreatedAt - page[^1].CreatedAt;
                batch = page.Where(u => range.Holds(u) && !done.Contains(u.Id)).Select(SyncUser.From).ToList();
                last = range.EndsWith(page);
                Changed();
            }, cancellationToken);
            done.Clear();
            var outcome = batch.Count > 0 ? await resync.UpsertBatchAsync(batch, facts, cancellationToken) : null;
            await WithCheckpointAsync(() =>
            {
                if (outcome is not null)
                {
                    checkpoint.Inserted += outcome.Inserted;
                    checkpoint.Updated += outcome.Updated;
                    checkpoint.Unchanged += outcome.Unchanged;
                    checkpoint.Failed += outcome.Failed;
                    checkpoint.FailedExamples.AddRange(outcome.FailedExamples.Take(Math.Max(0, resync.Examples - checkpoint.FailedExamples.Count)));
                }

                range.LastClerkId = page[^1].Id;
                range.RecentIds = page.Skip(Math.Max(0, page.Count - SyncResync.RecentKept)).Select(u => u.Id).ToList();
                checkpoint.Done += batch.Count;
                checkpoint.Batches++;
            }, cancellationToken);
            await reportAsync(false);
            if (last)
            {
                break;
            }
        }

        await WithCheckpointAsync(() =>
        {
            range.Finished = true;
            _walking.Remove(range);
            Changed();
        }, cancellationToken);
    }

    private async Task WithGateAsync(Action change, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            change();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Changes the checkpoint under the lock, then saves it (or a newer state) outside it.</summary>
    private async Task WithCheckpointAsync(Action change, CancellationToken cancellationToken)
    {
        long version;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            change();
            version = Snapshot();
        }
        finally
        {
            _gate.Release();
        }

        await SaveAsync(version, cancellationToken);
    }

    /// <summary>Under the lock: a copy of the checkpoint as it is now, numbered.</summary>
    private long Snapshot()
    {
        var version = ++_version;
        Volatile.Write(ref _latest, new Saved(checkpoint.Clone(), version));
        return version;
    }

    /// <summary>
    /// Returns once the checkpoint saved is at least <paramref name="version"/>. Saves go one at a time and each writes
    /// the newest copy, so walkers that queue behind a slow disk are covered by one write, and none of them holds the
    /// checkpoint's lock meanwhile.
    /// </summary>
    private async Task SaveAsync(long version, CancellationToken cancellationToken)
    {
        await _saving.WaitAsync(cancellationToken);
        try
        {
            if (_savedVersion >= version)
            {
                return;
            }

            var latest = Volatile.Read(ref _latest)!;
            await resync.SaveAsync(checkpoints, latest.Checkpoint, cancellationToken);
            _savedVersion = latest.Version;
        }
        finally
        {
            _saving.Release();
        }
    }

    private sealed record Saved(ResyncCheckpoint Checkpoint, long Version);
}
