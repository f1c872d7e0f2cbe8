using IncidentBot.Sync.Resync;
using IncidentBot.Sync.Sink;
using IncidentBot.Sync.Tests.Support;

namespace IncidentBot.Sync.Tests.Resync;

[Collection(PostgresCollection.Name)]
public sealed class OrphanConfirmationTests(PostgresServer server)
{
    [PostgresFact]
    public async Task ARowWhoseUserSignedUpDuringTheWalkIsNotDeletedAsAnOrphan()
    {
        await using var world = await SyncWorld.StartAsync(server);
        await world.CreatePrismaTableAsync();
        var truth = Users.AddTo(world.Emulator, Users.Ids(700));
        // The app's webhook wrote this row for a user Clerk created after the bot's walk had passed: it looks orphaned.
        await world.InsertRowsAsync([new SyncUser("user_newcomer", "new@example.com", "New", null), new SyncUser("user_gone", "gone@example.com", "Gone", null)]);
        // The newcomer signs up in Clerk just before the bot asks Clerk whether the apparent orphans exist.
        var clerk = new ListingHook(world.Clerk, (query, list) =>
        {
            if (query.UserIds is { Count: > 0 })
            {
                world.Emulator.AddUser("user_newcomer", ["new@example.com"]);
            }

            return list();
        });

        var result = await new SyncResync(clerk, world.Db, world.Time)
            .RunAsync(new ResyncRequest("A8", "INC-4", OrphanHandling.Delete), null, new JsonFileCheckpointStore(world.Options.CheckpointPath), CancellationToken.None);

        Assert.Equal((1L, 1L), (result.OrphansRemoved, result.OrphansKeptInClerk));
        Assert.EndsWith("1 orphaned rows deleted. 1 apparent orphans exist in Clerk after all and were kept.", result.Summary, StringComparison.Ordinal);
        var ids = await world.ClerkIdsAsync();
        Assert.Contains("user_newcomer", ids);
        Assert.DoesNotContain("user_gone", ids);
        Assert.Equal(truth.Count + 1, ids.Count);
        Assert.Empty(world.Emulator.Violations);
    }
}
