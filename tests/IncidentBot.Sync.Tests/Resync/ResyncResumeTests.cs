using IncidentBot.Sync.Gap;
using IncidentBot.Sync.Resync;
using IncidentBot.Sync.Tests.Gap;
using IncidentBot.Sync.Tests.Support;
using LiteDB;

namespace IncidentBot.Sync.Tests.Resync;

/// <summary>
/// The resync engine stopped mid-way (a crash between a batch's commit and its checkpoint, or a cancellation after
/// a checkpoint) and started again with the same request: it resumes, marked as resumed, and every user is in the
/// table exactly once. These run one walk (Sync:Walkers 1), so batches and saves come in a known order;
/// <see cref="ConcurrentWalkTests"/> stops several walkers at once, and ResyncKillTests kills the real process.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ResyncResumeTests(PostgresServer server)
{
    private static readonly Action<SyncOptions> OneWalk = o => o.Walkers = 1;

    [PostgresFact]
    public async Task ACrashAfterBatchFourCommittedButBeforeItsCheckpointResumesWithoutDuplicatesOrGaps()
    {
        await using var world = await SyncWorld.StartAsync(server, OneWalk);
        await world.CreatePrismaTableAsync();
        var truth = Users.AddTo(world.Emulator, Users.Ids(5_000));
        using var lite = new LiteDatabase(":memory:");
        var store = new LiteDbCheckpointStore(lite);
        var crashing = new CrashingStore(store, crashOnSave: 4, cancel: null);
        var request = new ResyncRequest("A3", "INC-2");

        await Assert.ThrowsAsync<IOException>(() => new SyncResync(world.Clerk, world.Db, world.Time).RunAsync(request, null, crashing, CancellationToken.None));

        Assert.Equal(2_000, (await world.ClerkIdsAsync()).Count); // batch 4 was committed; its checkpoint was not
        Assert.Equal(1_500, (await store.LoadAsync("A3", CancellationToken.None))!.Done);

        var result = await new SyncResync(world.Clerk, world.Db, world.Time).RunAsync(request, null, store, CancellationToken.None);

        Assert.True(result.Resumed);
        Assert.StartsWith("Resumed and finished: 5,000 users walked: 4,500 inserted, 0 updated, 500 already right, 0 failed.", result.Summary, StringComparison.Ordinal);
        await world.AssertEveryUserOnceAsync(truth.Select(u => u.ClerkId));
        Assert.Equal(1, (await store.LoadAsync("A3", CancellationToken.None))!.Resumes);
    }

    [PostgresFact]
    public async Task WhenTheLastUsersDoneAreDeletedInClerkBeforeTheResumeItStepsBackToTheNewestStillThere()
    {
        await using var world = await SyncWorld.StartAsync(server, OneWalk);
        await world.CreatePrismaTableAsync();
        var ids = Users.Ids(5_000);
        Users.AddTo(world.Emulator, ids);
        var store = new JsonFileCheckpointStore(world.Options.CheckpointPath);
        var request = new ResyncRequest("A7", "INC-2");
        await Assert.ThrowsAsync<IOException>(() =>
            new SyncResync(world.Clerk, world.Db, world.Time).RunAsync(request, null, new CrashingStore(store, crashOnSave: 4, cancel: null), CancellationToken.None));
        // Clerk walks newest first, so walk position p is ids[4999 - p]; batch 3 ended at positions 1498 and 1499.
        Assert.Equal(ids[3500], Assert.Single((await store.LoadAsync("A7", CancellationToken.None))!.Ranges).LastClerkId);
        world.Emulator.RemoveUser(ids[3500]);
        world.Emulator.RemoveUser(ids[3501]);

        var result = await new SyncResync(world.Clerk, world.Db, world.Time).RunAsync(request, null, store, CancellationToken.None);

        Assert.True(result.Resumed);
        Assert.False(result.RestartedFromTheStart);
        Assert.Equal((5_000L, 4_500L, 500L), (result.Done, result.Inserted, result.Unchanged)); // 1,500 before the crash, 3,000 after
        await world.AssertEveryUserOnceAsync(ids); // the two deleted users' rows are orphans now, left alone
        Assert.Empty(world.Emulator.Violations);
    }

    [PostgresFact]
    public async Task ACancellationAfterBatchSixResumesFromItsCheckpointInAJsonFile()
    {
        await using var world = await SyncWorld.StartAsync(server, OneWalk);
        await world.CreatePrismaTableAsync();
        var truth = Users.AddTo(world.Emulator, Users.Ids(5_000));
        var store = new JsonFileCheckpointStore(world.Options.CheckpointPath);
        using var stop = new CancellationTokenSource();
        var request = new ResyncRequest("A4", "INC-2");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new SyncResync(world.Clerk, world.Db, world.Time).RunAsync(request, null, new CrashingStore(store, crashOnSave: 0, cancel: (6, stop)), stop.Token));
        Assert.Equal(3_000, (await world.ClerkIdsAsync()).Count);

        // A new engine, as after a restart: only the file remains.
        var result = await new SyncResync(world.Clerk, world.Db, world.Time).RunAsync(request, null, new JsonFileCheckpointStore(world.Options.CheckpointPath), CancellationToken.None);

        Assert.True(result.Resumed);
        Assert.Equal((5_000L, 5_000L, 0L, 10), (result.Done, result.Inserted, result.Unchanged, result.Batches));
        await world.AssertEveryUserOnceAsync(truth.Select(u => u.ClerkId));
        var gap = await new SyncGap(world.Clerk, world.Db).CheckAsync(CancellationToken.None);
        Assert.True(gap.IsZero, gap.Summary);
    }

    [PostgresFact]
    public async Task AFinishedRequestStartedAgainDoesNothingAndSaysSo()
    {
        await using var world = await SyncWorld.StartAsync(server);
        await world.CreatePrismaTableAsync();
        Users.AddTo(world.Emulator, Users.Ids(600));
        var store = new JsonFileCheckpointStore(world.Options.CheckpointPath);
        await new SyncResync(world.Clerk, world.Db, world.Time).RunAsync(new ResyncRequest("A5", "INC-2"), null, store, CancellationToken.None);
        var calls = world.Emulator.Requests.Count;

        var again = await new SyncResync(world.Clerk, world.Db, world.Time).RunAsync(new ResyncRequest("A5", "INC-2"), null, store, CancellationToken.None);

        Assert.True(again.AlreadyFinished);
        Assert.StartsWith("This resync had already finished: 600 users walked: 600 inserted", again.Summary, StringComparison.Ordinal);
        Assert.Equal(calls, world.Emulator.Requests.Count);
    }

    [PostgresFact]
    public async Task ProgressIsReportedAtMostEveryFiveSecondsOfClockTimeWithFailuresCounted()
    {
        await using var world = await SyncWorld.StartAsync(server, OneWalk);
        await world.CreatePrismaTableAsync();
        var truth = Users.AddTo(world.Emulator, Users.Ids(3_000));
        // Another row already holds the email of Clerk user 100: the unique index refuses that one user.
        await world.InsertRowsAsync([new("user_someoneElse", truth[100].Email, null, null)]);
        // Each page of users takes two seconds of the fake clock.
        var clerk = new ListingHook(world.Clerk, async (_, list) =>
        {
            var page = await list();
            world.Time.Advance(TimeSpan.FromSeconds(2));
            return page;
        });
        var reports = new List<(DateTimeOffset At, string Text)>();

        var result = await new SyncResync(clerk, world.Db, world.Time).RunAsync(new ResyncRequest("A6", "INC-2"),
            (p, _) => { reports.Add((world.Time.GetUtcNow(), p.Text)); return Task.CompletedTask; },
            new JsonFileCheckpointStore(world.Options.CheckpointPath), CancellationToken.None);

        Assert.Equal((3_000L, 2_999L, 1L), (result.Done, result.Inserted, result.Failed));
        Assert.Contains(truth[100].ClerkId + ": duplicate key value violates unique constraint \"User_email_key\" (SQLSTATE 23505)", result.FailedExamples);
        Assert.Equal("3,000 of 3,000 users; 1 failed", reports[^1].Text);
        // Pages come newest first; user 100 is in the last one. The pace: 500 users in the 2 s of the first page, or in
        // 4 s when the page fetched ahead has moved the clock too by the time the report is made.
        Assert.Matches(@"^500 of 3,000 users; 0 failed; (250 users/s, about 10 s|125 users/s, about 20 s) left$", reports[0].Text);
        Assert.InRange(reports.Count, 3, 5);
        for (var i = 1; i < reports.Count - 1; i++)
        {
            Assert.True(reports[i].At - reports[i - 1].At >= TimeSpan.FromSeconds(5), $"{reports[i - 1]} then {reports[i]}");
        }
    }
}
