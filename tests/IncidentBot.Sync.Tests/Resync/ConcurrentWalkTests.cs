using IncidentBot.Clerk;
using IncidentBot.Clerk.Api;
using IncidentBot.Sync.Gap;
using IncidentBot.Sync.Resync;
using IncidentBot.Sync.Tests.Gap;
using IncidentBot.Sync.Tests.Support;
using LiteDB;

namespace IncidentBot.Sync.Tests.Resync;

/// <summary>
/// A resync walks Clerk's users in created_at ranges, several at once (Sync:Walkers), each range with its own cursor
/// in the checkpoint: every user lands in exactly one range even when many share a millisecond on a range's edge and
/// whichever way Clerk reads its bounds, the walkers really are in flight together, a walker's failure stops the rest
/// and is the failure reported, and the resume finishes each range from its own cursor.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ConcurrentWalkTests(PostgresServer server)
{
    [PostgresTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UsersSharingTheMillisecondOnEveryRangeEdgeAreEachWrittenOnceWhicheverWayClerkReadsItsBounds(bool inclusive)
    {
        await using var world = await SyncWorld.StartAsync(server, o => (o.Walkers, o.BatchSize) = (4, 100), sandbox: s => s.CreatedAtBoundsInclusive = inclusive);
        await world.CreatePrismaTableAsync();
        // 16 instants 250 users each: 4 walkers make 16 ranges one millisecond wide, so every edge falls on an instant
        // shared by 250 users, and each range's cursor walks users of one created_at (Clerk breaks the tie by id).
        var epoch = world.Emulator.Options.Epoch.ToUnixTimeMilliseconds();
        var truth = Users.AddTo(world.Emulator, Users.Ids(4_000), i => epoch + (i / 250));
        var store = new JsonFileCheckpointStore(world.Options.CheckpointPath);

        var result = await new SyncResync(world.Clerk, world.Db, world.Time).RunAsync(new ResyncRequest("A1", "INC-2"), null, store, CancellationToken.None);

        Assert.Equal((4_000L, 4_000L, 0L), (result.Done, result.Inserted, result.Failed));
        await world.AssertEveryUserOnceAsync(truth.Select(u => u.ClerkId));
        var ranges = (await store.LoadAsync("A1", CancellationToken.None))!.Ranges;
        Assert.Equal(16, ranges.Count);
        Assert.All(ranges, r => Assert.True(r.Finished));
        Assert.Equal(Enumerable.Range(1, 15).Select(k => (long?)(epoch + k)), ranges.Select(r => r.From).Where(f => f is not null).Order());
        Assert.Contains(world.Emulator.Requests, r => r.Path == "/v1/users" && r.QueryString.Contains("order_by=%2Bcreated_at", StringComparison.Ordinal));
        Assert.Contains(world.Emulator.Requests, r => r.Path == "/v1/users" && r.QueryString.Contains("created_at_after=", StringComparison.Ordinal) && r.QueryString.Contains("created_at_before=", StringComparison.Ordinal) && r.QueryString.Contains("starting_after=", StringComparison.Ordinal));
        Assert.Empty(world.Emulator.Violations);
    }

    [PostgresFact]
    public async Task WhenNearlyEveryoneSignedUpInOneRangeIdleWalkersSplitItAndEachUserIsStillWrittenOnce()
    {
        await using var world = await SyncWorld.StartAsync(server, o => (o.Walkers, o.BatchSize) = (4, 100));
        await world.CreatePrismaTableAsync();
        // One user a day before and one a day after; the 3,000 others in one burst, all inside one of the 16 equal ranges.
        var epoch = world.Emulator.Options.Epoch.ToUnixTimeMilliseconds();
        const long Day = 86_400_000;
        var truth = Users.AddTo(world.Emulator, Users.Ids(3_002), i => i switch
        {
            0 => epoch - Day,
            3_001 => epoch + Day,
            _ => epoch + (i / 3), // three users to a millisecond
        });
        var store = new JsonFileCheckpointStore(world.Options.CheckpointPath);

        var result = await new SyncResync(world.Clerk, world.Db, world.Time).RunAsync(new ResyncRequest("A2", "INC-2"), null, store, CancellationToken.None);

        Assert.Equal((3_002L, 3_002L), (result.Done, result.Inserted));
        await world.AssertEveryUserOnceAsync(truth.Select(u => u.ClerkId));
        var ranges = (await store.LoadAsync("A2", CancellationToken.None))!.Ranges;
        // 15 ranges were planned, about 3 hours each; only a split puts an edge inside the one-second burst.
        Assert.Contains(ranges, r => r.From > epoch && r.From < epoch + 1_000);
        Assert.All(ranges, r => Assert.True(r.Finished));
        // Still a partition: sorted by From, each range begins where the one below it ends.
        var ordered = ranges.OrderBy(r => r.From ?? long.MinValue).ToList();
        Assert.Null(ordered[0].From);
        Assert.Null(ordered[^1].To);
        Assert.All(ordered.Zip(ordered.Skip(1)), pair => Assert.Equal(pair.First.To, pair.Second.From));
        Assert.Empty(world.Emulator.Violations);
    }

    [PostgresFact]
    public async Task ARangeWithOnlyAPageOrTwoLeftIsNotSplitBecauseASplitCostsARequestFromTheLimit()
    {
        await using var world = await SyncWorld.StartAsync(server, o => (o.Walkers, o.BatchSize) = (4, 100));
        await world.CreatePrismaTableAsync();
        // One user a millisecond: 15 ranges of 200 users, two pages each. Walkers left idle at the end find no range
        // with about four pages left, so they wait instead of splitting one 100 ms wide for a request more.
        var truth = Users.AddTo(world.Emulator, Users.Ids(3_000));
        var store = new JsonFileCheckpointStore(world.Options.CheckpointPath);

        var result = await new SyncResync(world.Clerk, world.Db, world.Time).RunAsync(new ResyncRequest("A4", "INC-2"), null, store, CancellationToken.None);

        Assert.Equal((3_000L, 3_000L), (result.Done, result.Inserted));
        await world.AssertEveryUserOnceAsync(truth.Select(u => u.ClerkId));
        var ranges = (await store.LoadAsync("A4", CancellationToken.None))!.Ranges;
        Assert.Equal(15, ranges.Count);
        Assert.All(ranges, r => Assert.Equal(99, r.PageSpan));
        Assert.Empty(world.Emulator.Violations);
    }

    [PostgresFact]
    public async Task TheWalkersAskClerkForTheirPagesAtTheSameTime()
    {
        await using var world = await SyncWorld.StartAsync(server, o => (o.Walkers, o.BatchSize) = (4, 100));
        await world.CreatePrismaTableAsync();
        Users.AddTo(world.Emulator, Users.Ids(3_000)); // 15 ranges of two pages each
        // The count, the newest and the oldest user pass; then every answer is held until four requests are held at
        // once. One walk at a time would never get there: its request would wait until the guard below gives up.
        var seen = 0;
        var held = 0;
        var together = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        world.Emulator.Faults.SlowDown(TimeSpan.FromTicks(1), TimeSpan.FromHours(1));
        world.Emulator.Wait = async (_, cancellationToken) =>
        {
            if (Interlocked.Increment(ref seen) > 3 && Interlocked.Increment(ref held) >= 4)
            {
                together.TrySetResult();
            }

            if (Volatile.Read(ref seen) > 3)
            {
                await together.Task.WaitAsync(TimeSpan.FromMinutes(1), cancellationToken);
            }
        };

        var result = await new SyncResync(world.Clerk, world.Db, world.Time).RunAsync(new ResyncRequest("A1", "INC-2"), null,
            new JsonFileCheckpointStore(world.Options.CheckpointPath), CancellationToken.None);

        Assert.True(together.Task.IsCompletedSuccessfully);
        Assert.Equal((3_000L, 3_000L), (result.Done, result.Inserted));
    }

    [PostgresFact]
    public async Task AWalkerThatFailsStopsTheOthersWithItsOwnErrorAndTheResumeFinishesEachRangeFromItsCursor()
    {
        await using var world = await SyncWorld.StartAsync(server, o => (o.Walkers, o.BatchSize) = (4, 100));
        await world.CreatePrismaTableAsync();
        var truth = Users.AddTo(world.Emulator, Users.Ids(5_000));
        using var lite = new LiteDatabase(":memory:");
        var store = new LiteDbCheckpointStore(lite);
        var request = new ResyncRequest("A3", "INC-2");

        // The 20th save fails (its batch committed, the checkpoint not written): that error, not a cancellation, comes out.
        var failure = await Assert.ThrowsAsync<IOException>(() =>
            new SyncResync(world.Clerk, world.Db, world.Time).RunAsync(request, null, new CrashingStore(store, crashOnSave: 20, cancel: null), CancellationToken.None));
        Assert.Contains("simulated crash", failure.Message, StringComparison.Ordinal);
        var stopped = (await store.LoadAsync("A3", CancellationToken.None))!;
        Assert.Equal(16, stopped.Ranges.Count);
        Assert.Contains(stopped.Ranges, r => r.LastClerkId is not null); // some ranges had batches in
        Assert.Contains(stopped.Ranges, r => !r.Finished);
        Assert.InRange(stopped.Done, 100, 4_900); // some batches saved (one save may cover several walkers), not all
        var requestsBefore = world.Emulator.Requests.Count;

        var result = await new SyncResync(world.Clerk, world.Db, world.Time).RunAsync(request, null, store, CancellationToken.None);

        Assert.True(result.Resumed);
        Assert.Equal(5_000L, result.Done); // no user counted twice, none skipped
        Assert.Equal(5_000L, result.Inserted + result.Unchanged);
        await world.AssertEveryUserOnceAsync(truth.Select(u => u.ClerkId));
        var resumedPages = world.Emulator.Requests.Skip(requestsBefore).Where(r => r.Path == "/v1/users" && !r.QueryString.Contains("user_id=", StringComparison.Ordinal)).ToList();
        Assert.True(resumedPages.Count < 50 + 16, $"{resumedPages.Count} pages after the resume"); // not the whole walk again
        Assert.DoesNotContain(resumedPages, r => r.QueryString.Contains("order_by", StringComparison.Ordinal)); // the saved plan, not a new one
        var gap = await new SyncGap(world.Clerk, world.Db).CheckAsync(CancellationToken.None);
        Assert.True(gap.IsZero, gap.Summary);
    }

    [PostgresFact]
    public async Task TheGapWalksItsRangesAtOnceAndOneThatFailsStopsTheRestWithItsOwnError()
    {
        await using var world = await SyncWorld.StartAsync(server, o => (o.Walkers, o.BatchSize) = (4, 100));
        await world.CreatePrismaTableAsync();
        Users.AddTo(world.Emulator, Users.Ids(3_000));
        var ranged = 0;
        var clerk = new ListingHook(world.Clerk, async (query, list) =>
        {
            if (query.CreatedBefore is not null && Interlocked.Increment(ref ranged) == 5)
            {
                throw new ClerkUnavailableException("the fifth ranged page was refused", 1);
            }

            return await list();
        });

        var e = await Assert.ThrowsAsync<ClerkUnavailableException>(() => new SyncGap(clerk, world.Db).CheckAsync(CancellationToken.None));

        Assert.Equal("the fifth ranged page was refused", e.Message);
        var gap = await new SyncGap(world.Clerk, world.Db).CheckAsync(CancellationToken.None); // and a clean walk is exact
        Assert.Equal((3_000L, 3_000L), (gap.ClerkUsers, gap.Missing.Count));
    }

    [PostgresFact]
    public async Task ACheckpointWrittenBeforeRangesResumesAsOneWalkAfterItsCursor()
    {
        await using var world = await SyncWorld.StartAsync(server, o => o.Walkers = 8);
        await world.CreatePrismaTableAsync();
        var ids = Users.Ids(3_000);
        var truth = Users.AddTo(world.Emulator, ids);
        // Clerk lists newest first, so the first 1,000 walked are ids[2999] down to ids[2000]: in the table already.
        await world.InsertRowsAsync(truth.Skip(2_000).ToList());
        var store = new JsonFileCheckpointStore(world.Options.CheckpointPath);
        await store.SaveAsync(new ResyncCheckpoint
        {
            Key = "A9", IncidentId = "INC-2", Done = 1_000, Inserted = 1_000, Batches = 2,
            LastClerkId = ids[2000], RecentIds = ids.Skip(2000).Take(20).Reverse().ToList(),
        }, CancellationToken.None);

        var result = await new SyncResync(world.Clerk, world.Db, world.Time).RunAsync(new ResyncRequest("A9", "INC-2"), null, store, CancellationToken.None);

        Assert.True(result.Resumed);
        Assert.Equal((3_000L, 3_000L, 0L), (result.Done, result.Inserted, result.Unchanged));
        await world.AssertEveryUserOnceAsync(ids);
        Assert.Single((await store.LoadAsync("A9", CancellationToken.None))!.Ranges);
        Assert.Contains(world.Emulator.Requests, r => r.Path == "/v1/users" && r.QueryString.Contains($"starting_after={ids[2000]}", StringComparison.Ordinal));
    }
}
