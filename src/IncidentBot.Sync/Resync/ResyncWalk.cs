using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using IncidentBot.Sync.Gap;
using IncidentBot.Sync.Sink;

namespace IncidentBot.Sync.Resync;

/// <summary>
/// The users phase of one resync: up to <c>Sync:Walkers</c> walkers take the checkpoint's unfinished ranges one at a
/// time and walk each with its own cursor, one page ahead, writing each page as one batch. Everything a walker changes
/// in the checkpoint (its range's cursor, the counts) is changed and saved under one lock, after its batch committed,
/// so a saved checkpoint never claims a batch that is not in the table. The first walker to fail stops the others,
/// and its failure is the one the caller sees.
/// </summary>
internal sealed class ResyncWalk(SyncResync resync, ResyncCheckpoint checkpoint, SchemaFacts facts, IResyncCheckpointStore checkpoints, Func<bool, Task> reportAsync)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task RunAsync(int walkers, CancellationToken cancellationToken)
    {
        // Newest ranges first (the plan's order), so the fullest start first.
        var pending = new ConcurrentQueue<ResyncRange>(checkpoint.Ranges.Where(r => !r.Finished));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = Enumerable.Range(0, Math.Clamp(walkers, 1, Math.Max(1, pending.Count)))
            .Select(_ => Task.Run(() => WalkerAsync(pending, stop), CancellationToken.None))
            .ToList();
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (Exception) when (tasks.Select(t => t.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException) is { } first)
        {
            ExceptionDispatchInfo.Throw(first);
        }
    }

    private async Task WalkerAsync(ConcurrentQueue<ResyncRange> pending, CancellationTokenSource stop)
    {
        try
        {
            while (pending.TryDequeue(out var range))
            {
                await WalkRangeAsync(range, stop.Token);
            }
        }
        catch
        {
            await stop.CancelAsync();
            throw;
        }
    }

    private async Task WalkRangeAsync(ResyncRange range, CancellationToken cancellationToken)
    {
        var (cursor, done) = await resync.ResumePointAsync(range, checkpoint, cancellationToken);
        await foreach (var page in ClerkPages.WalkAsync(resync.Clerk, range.Query(resync.BatchSize), cursor, ahead: 1, cancellationToken))
        {
            // Users outside the range (the query is a millisecond wider) belong to the next one; after stepping back
            // to an earlier cursor, the users already done come round again: skip both.
            var batch = page.Where(u => range.Holds(u) && !done.Contains(u.Id)).Select(SyncUser.From).ToList();
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
        }

        await WithCheckpointAsync(() => range.Finished = true, cancellationToken);
    }

    private async Task WithCheckpointAsync(Action change, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            change();
            await resync.SaveAsync(checkpoints, checkpoint, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }
}
