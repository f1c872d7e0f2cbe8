using IncidentBot.Sync.Gap;
using IncidentBot.Sync.Sink;
using IncidentBot.Sync.Tests.Support;
using Npgsql;

namespace IncidentBot.Sync.Tests.Gap;

[Collection(PostgresCollection.Name)]
public sealed class OrderAndLimitTests(PostgresServer server)
{
    [PostgresFact]
    public async Task TheBotsIdOrderIsPostgresCollateCOrderEvenWhereUtf16OrdinalOrderIsNot()
    {
        await using var world = await SyncWorld.StartAsync(server);
        string[] ids = ["user_b", "user_B", "user_a", "user_Z", "user_\uFF21", "user_\U0001F600", "user_\u00E9", "user_", "user_0"];
        await using var connection = new NpgsqlConnection(world.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT x FROM unnest(@ids) AS x ORDER BY x COLLATE \"C\"", connection);
        command.Parameters.AddWithValue("ids", ids);
        var postgres = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                postgres.Add(reader.GetString(0));
            }
        }

        Assert.Equal(postgres, ids.Order(ClerkIdOrder.Comparer));
        Assert.NotEqual(postgres, ids.Order(StringComparer.Ordinal)); // U+1F600 (a surrogate pair) sorts below U+FF21 in UTF-16
    }

    [PostgresFact]
    public async Task TheGapWalksClerkThroughTheClientsRateLimiterAndIsNeverRefused()
    {
        // Clerk allows 3 requests per 10 s; the client, with its default 0.9 headroom, sends at most 2.
        await using var world = await SyncWorld.StartAsync(server, clerkRequestsPer10s: 3, headroom: 0.9);
        world.Emulator.RateLimit = 3;
        await world.CreatePrismaTableAsync();
        var truth = Users.AddTo(world.Emulator, Users.Ids(2_600));
        await world.InsertRowsAsync(truth.Skip(100));

        var gap = await world.DriveAsync(new SyncGap(world.Clerk, world.Db).CheckAsync(CancellationToken.None));
        Assert.Equal((2_600L, 100L, 0L, 0L), (gap.ClerkUsers, gap.Missing.Count, gap.Stale.Count, gap.Orphans.Count));
        Assert.True(world.Limiter.Waited > 0);
        Assert.Equal(0, world.Emulator.RateLimited);
        // 2,600 users fill two ranges of two pages (the count, the newest and the oldest user plan them): 6 pages, 3 more requests.
        Assert.InRange(world.Emulator.Count("GET", "^/v1/users$"), 6, 9);
        Assert.Empty(world.Emulator.Violations);
    }
}
