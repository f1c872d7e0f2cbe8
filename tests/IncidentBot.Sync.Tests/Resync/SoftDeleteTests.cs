using IncidentBot.Sync.Gap;
using IncidentBot.Sync.Resync;
using IncidentBot.Sync.Sink;
using IncidentBot.Sync.Tests.Support;

namespace IncidentBot.Sync.Tests.Resync;

[Collection(PostgresCollection.Name)]
public sealed class SoftDeleteTests(PostgresServer server)
{
    [PostgresFact]
    public async Task OnASnakeCaseTableOrphansAreMarkedDeletedRevivedUsersUnmarkedAndExtraColumnsLeftAlone()
    {
        await using var world = await SyncWorld.StartAsync(server, o =>
        {
            o.Schema = "app";
            o.Table = "users";
            o.Columns = new SyncColumns { ClerkId = "clerk_id", Email = "email", FirstName = "first_name", LastName = "last_name", UpdatedAt = "updated_at", Id = "", SoftDelete = "deleted_at" };
        });
        await world.Database.ExecAsync("""
            CREATE SCHEMA app;
            CREATE TABLE app.users (id BIGSERIAL PRIMARY KEY, clerk_id VARCHAR(64) NOT NULL UNIQUE, email VARCHAR(320), first_name TEXT, last_name TEXT,
                                    updated_at TIMESTAMPTZ, deleted_at TIMESTAMPTZ, plan TEXT NOT NULL DEFAULT 'free');
            """);
        var truth = Users.AddTo(world.Emulator, Users.Ids(1_200));
        var revived = truth[10];
        await world.Database.ExecAsync($"""
            INSERT INTO app.users (clerk_id, email, first_name, last_name, plan, deleted_at)
            VALUES ('{revived.ClerkId}', '{revived.Email}', 'Emu', '{revived.ClerkId}', 'pro', '2026-01-01'),
                   ('user_orphan1', 'o1@example.com', 'Old', NULL, 'pro', NULL),
                   ('user_orphan2', 'o2@example.com', 'Old', NULL, 'free', '2026-01-01');
            """);

        var gap = await new SyncGap(world.Clerk, world.Db).CheckAsync(CancellationToken.None);
        Assert.Equal((1_199L, 1L, 1L), (gap.Missing.Count, gap.Stale.Count, gap.Orphans.Count)); // an already-deleted orphan is not one
        Assert.Equal($"{revived.ClerkId} (deleted)", Assert.Single(gap.Stale.Examples));

        var result = await new SyncResync(world.Clerk, world.Db, world.Time)
            .RunAsync(new ResyncRequest("A9", "INC-3", OrphanHandling.SoftDelete), null, new JsonFileCheckpointStore(world.Options.CheckpointPath), CancellationToken.None);

        Assert.Equal((1_199L, 1L, 1L), (result.Inserted, result.Updated, result.OrphansRemoved));
        Assert.EndsWith("1 orphaned rows marked deleted.", result.Summary, StringComparison.Ordinal);
        Assert.Equal(1_202L, await world.Database.ScalarAsync<long>("SELECT count(*) FROM app.users"));
        Assert.Equal("pro", await world.Database.ScalarAsync<string>($"SELECT plan FROM app.users WHERE clerk_id = '{revived.ClerkId}' AND deleted_at IS NULL"));
        Assert.Equal(2L, await world.Database.ScalarAsync<long>("SELECT count(*) FROM app.users WHERE deleted_at IS NOT NULL AND clerk_id LIKE 'user_orphan%'"));
        Assert.True((await new SyncGap(world.Clerk, world.Db).CheckAsync(CancellationToken.None)).IsZero);
    }
}
