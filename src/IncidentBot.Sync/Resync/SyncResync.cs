using IncidentBot.Clerk.Api;
using IncidentBot.Sync.Gap;
using IncidentBot.Sync.Sink;
using Npgsql;

namespace IncidentBot.Sync.Resync;

/// <summary>
/// <c>sync.resync</c>: walk Clerk's users in created_at ranges, several at once (<see cref="ResyncWalk"/>), each with
/// the starting_after cursor, and upsert each page as one batch, one transaction per batch (<see cref="ResyncBatchWriter"/>:
/// rows already right are not touched, missing users go in by COPY). After each committed batch the checkpoint holds
/// its range's last Clerk id, so the same request started again continues each range with its next page: no user
/// skipped, none written twice (a batch committed just before a crash, whose checkpoint was not saved, is walked again
/// and finds its rows already right). Orphaned rows are removed only when the request says so, and only after Clerk
/// confirms, id by id, that those users don't exist.
/// </summary>
public sealed class SyncResync(IClerkClient clerk, SyncDatabase db, TimeProvider time)
{
    /// <summary>Clerk's user_id filter takes up to 100 ids.</summary>
    private const int ConfirmChunk = 100;

    /// <summary>The last ids of each batch kept in the checkpoint, to resume from if the very last one is deleted meanwhile.</summary>
    internal const int RecentKept = 20;

    private readonly ResyncBatchWriter _writer = new(db, time);

    public async Task<ResyncResult> RunAsync(
        ResyncRequest request, Func<ResyncProgress, CancellationToken, Task>? progress, IResyncCheckpointStore checkpoints, CancellationToken cancellationToken)
    {
        var facts = await SyncGap.FactsAsync(db, cancellationToken);
        var checkpoint = await checkpoints.LoadAsync(request.Key, cancellationToken);
        var resumed = checkpoint is not null;
        if (checkpoint is { Phase: ResyncCheckpoint.DonePhase })
        {
            return Result(checkpoint, resumed: false, alreadyFinished: true);
        }

        if (checkpoint is null)
        {
            checkpoint = new ResyncCheckpoint
            {
                Key = request.Key,
                IncidentId = request.IncidentId,
                Orphans = request.Orphans.ToString(),
                StartedAt = time.GetUtcNow(),
            };
        }
        else
        {
            // The request as first approved decides, not whatever a restart passes in.
            checkpoint.Resumes++;
        }

        var orphans = Enum.Parse<OrphanHandling>(checkpoint.Orphans);
        if (orphans == OrphanHandling.SoftDelete && !db.Table.HasSoftDelete)
        {
            throw new SyncDatabaseException("soft-deleting orphans needs Sync:Columns:SoftDelete, and the table has no soft-delete column configured.");
        }

        var total = await clerk.CountUsersAsync(new UserQuery(), cancellationToken);
        var throttle = new ProgressThrottle(time, TimeSpan.FromSeconds(Math.Max(0, db.Options.ProgressSeconds)));
        // The pace is this run's own (a resume counts from where it picked up), from a second in, the users phase only.
        var started = time.GetTimestamp();
        var doneBefore = checkpoint.Done;
        double? Pace() => time.GetElapsedTime(started) is { TotalSeconds: >= 1 } elapsed && checkpoint.Phase == ResyncCheckpoint.UsersPhase && checkpoint.Done > doneBefore
            ? (checkpoint.Done - doneBefore) / elapsed.TotalSeconds
            : null;
        using var posting = new SemaphoreSlim(1, 1);
        async Task ReportAsync(bool force)
        {
            // Walkers report outside the checkpoint's lock, one post at a time, newest counts first: only a walker whose
            // report is due waits for a post in flight, and a slow room delays neither the walk nor the other walkers.
            if (progress is null || !throttle.IsDue(force))
            {
                return;
            }

            await posting.WaitAsync(cancellationToken);
            try
            {
                if (throttle.Due(force))
                {
                    await progress(new ResyncProgress(checkpoint.Done, Math.Max(total, checkpoint.Done), checkpoint.Failed, resumed, checkpoint.Phase, Pace()), cancellationToken);
                }
            }
            finally
            {
                posting.Release();
            }
        }

        if (checkpoint.Phase == ResyncCheckpoint.UsersPhase)
        {
            if (checkpoint.Ranges.Count == 0)
            {
                // The plan is saved with the first batch: a stop before that plans afresh, and the rows a batch
                // committed without its checkpoint are found already right. A checkpoint written before ranges
                // existed holds one walk's cursor: it goes on as one open range.
                checkpoint.Ranges = checkpoint.LastClerkId is null
                    ? await ResyncRanges.PlanAsync(clerk, db.Options.Walkers, db.Options.BatchSize, total, cancellationToken)
                    : [new ResyncRange { LastClerkId = checkpoint.LastClerkId, RecentIds = checkpoint.RecentIds }];
            }

            var walk = new ResyncWalk(this, checkpoint, facts, checkpoints, ReportAsync);
            await walk.RunAsync(db.Options.Walkers, cancellationToken);
            checkpoint.Phase = orphans == OrphanHandling.Keep ? ResyncCheckpoint.DonePhase : ResyncCheckpoint.OrphansPhase;
            await SaveAsync(checkpoints, checkpoint, cancellationToken);
        }

        if (checkpoint.Phase == ResyncCheckpoint.OrphansPhase)
        {
            await ReportAsync(force: true);
            await RemoveOrphansAsync(facts, orphans == OrphanHandling.SoftDelete, checkpoint, checkpoints, cancellationToken);
            checkpoint.Phase = ResyncCheckpoint.DonePhase;
            await SaveAsync(checkpoints, checkpoint, cancellationToken);
        }

        await ReportAsync(force: true);
        return Result(checkpoint, resumed, alreadyFinished: false);
    }

    /// <summary>
    /// Where to continue: after the last user done, if Clerk still has it. A cursor naming a user deleted since is
    /// not one Clerk can continue from, so step back to the newest of the batch's last few users that still exists
    /// (and skip the ones after it, already done); if all of them are gone, walk from the start (rows already right
    /// are left alone, but they count again in Done).
    /// </summary>
    internal async Task<(string? Cursor, HashSet<string> Done)> ResumePointAsync(ResyncRange range, ResyncCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        if (range.LastClerkId is not { } last)
        {
            return (null, done);
        }

        var recent = range.RecentIds.Count > 0 ? range.RecentIds : [last];
        var alive = (await clerk.ListUsersAsync(new UserQuery(UserIds: recent, Limit: ConfirmChunk), cancellationToken)).Select(u => u.Id).ToHashSet(StringComparer.Ordinal);
        for (var i = recent.Count - 1; i >= 0; i--)
        {
            if (alive.Contains(recent[i]))
            {
                done.UnionWith(recent.Skip(i + 1));
                return (recent[i], done);
            }
        }

        checkpoint.RestartedFromTheStart = true;
        return (null, done);
    }

    /// <summary>Writes one batch (its own transaction) and returns what it did; the caller adds it to the checkpoint.</summary>
    internal Task<BatchOutcome> UpsertBatchAsync(List<SyncUser> batch, SchemaFacts facts, CancellationToken cancellationToken) =>
        _writer.WriteAsync(batch, facts, Math.Max(1, db.Options.Examples), cancellationToken);

    internal int BatchSize => db.Options.BatchSize;

    internal IClerkClient Clerk => clerk;

    internal int Examples => Math.Max(1, db.Options.Examples);

    private async Task RemoveOrphansAsync(SchemaFacts facts, bool soft, ResyncCheckpoint checkpoint, IResyncCheckpointStore checkpoints, CancellationToken cancellationToken)
    {
        // A fresh walk: the orphans are the rows whose Clerk user is gone now. Removing them again after a restart
        // finds nothing to remove for the rows already done, so the counts in the checkpoint stay right.
        await using var sorted = await SyncGap.SortClerkAsync(clerk, db.Options, cancellationToken);
        var chunk = new List<string>(ConfirmChunk);
        await foreach (var item in GapMerge.DiffAsync(db, facts, sorted, null, cancellationToken))
        {
            if (item.Kind != GapKind.Orphan)
            {
                continue;
            }

            chunk.Add(item.ClerkId);
            if (chunk.Count == ConfirmChunk)
            {
                await RemoveChunkAsync(chunk, facts, soft, checkpoint, checkpoints, cancellationToken);
                chunk.Clear();
            }
        }

        if (chunk.Count > 0)
        {
            await RemoveChunkAsync(chunk, facts, soft, checkpoint, checkpoints, cancellationToken);
        }
    }

    private async Task RemoveChunkAsync(List<string> ids, SchemaFacts facts, bool soft, ResyncCheckpoint checkpoint, IResyncCheckpointStore checkpoints, CancellationToken cancellationToken)
    {
        // A user created in Clerk after the walk began, whose row the app already wrote, looks like an orphan: ask Clerk.
        var alive = (await clerk.ListUsersAsync(new UserQuery(UserIds: ids, Limit: ConfirmChunk), cancellationToken)).Select(u => u.Id).ToHashSet(StringComparer.Ordinal);
        var gone = ids.Where(id => !alive.Contains(id)).ToArray();
        checkpoint.OrphansKeptInClerk += alive.Count(ids.Contains);
        if (gone.Length > 0)
        {
            await using var connection = await db.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(db.Table.RemoveOrphans(facts, soft), connection, transaction);
            command.Parameters.AddWithValue("ids", gone);
            command.Parameters.AddWithValue("now", time.GetUtcNow().UtcDateTime);
            checkpoint.OrphansRemoved += await command.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await SaveAsync(checkpoints, checkpoint, cancellationToken);
    }

    internal async Task SaveAsync(IResyncCheckpointStore checkpoints, ResyncCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        checkpoint.SavedAt = time.GetUtcNow();
        await checkpoints.SaveAsync(checkpoint, cancellationToken);
    }

    private static ResyncResult Result(ResyncCheckpoint c, bool resumed, bool alreadyFinished) => new(
        c.Done, c.Inserted, c.Updated, c.Unchanged, c.Failed, c.FailedExamples, Enum.Parse<OrphanHandling>(c.Orphans),
        c.OrphansRemoved, c.OrphansKeptInClerk, resumed, c.Batches, alreadyFinished, c.RestartedFromTheStart);
}
