using IncidentBot.Sync.Resync;
using IncidentBot.Sync.Sink;
using IncidentBot.Sync.Tests.Support;
using Microsoft.Extensions.Options;
using Npgsql;

namespace IncidentBot.Sync.Tests.Resync;

[Collection(PostgresCollection.Name)]
public sealed class BatchWriterTests(PostgresServer server)
{
    [PostgresFact]
    public async Task RowsAlreadyRightAreNotWrittenAtAllStaleOnesAreUpdatedAndMissingUsersAreCopiedIn()
    {
        await using var world = await SyncWorld.StartAsync(server);
        await world.CreatePrismaTableAsync();
        var users = Enumerable.Range(0, 6).Select(i => new SyncUser($"user_{i}", $"u{i}@example.com", "Ada", $"N{i}")).ToList();
        await world.InsertRowsAsync([users[0], users[1], users[2], users[3] with { LastName = "Stale" }]);
        var before = await RowVersionsAsync(world);
        var facts = (await SyncSchema.CheckAsync(world.Db, CancellationToken.None)).Facts!;
        Assert.True(facts.CanCopy);
        Assert.StartsWith("resync reads each batch's rows first, skips the ones already right, writes missing users by binary COPY", facts.WritePath, StringComparison.Ordinal);

        var outcome = await new ResyncBatchWriter(world.Db, world.Time).WriteAsync(users, facts, 5, CancellationToken.None);

        Assert.Equal((2L, 1L, 3L, 0), (outcome.Inserted, outcome.Updated, outcome.Unchanged, outcome.Failed));
        Assert.Empty(outcome.FailedExamples);
        var after = await RowVersionsAsync(world);
        foreach (var id in new[] { "user_0", "user_1", "user_2" })
        {
            Assert.Equal(before[id], after[id]); // the same row version (xmin), never locked (xmax), the old updatedAt
        }

        Assert.NotEqual(before["user_3"].Version, after["user_3"].Version);
        Assert.Equal(SyncWorld.Start.UtcDateTime, after["user_3"].UpdatedAt);
        Assert.Equal(SyncWorld.Start.UtcDateTime, after["user_4"].UpdatedAt);
        Assert.Equal(
            ["user_0 u0@example.com Ada N0", "user_1 u1@example.com Ada N1", "user_2 u2@example.com Ada N2", "user_3 u3@example.com Ada N3", "user_4 u4@example.com Ada N4", "user_5 u5@example.com Ada N5"],
            await RowsAsync(world, """SELECT "clerkId" || ' ' || "email" || ' ' || "firstName" || ' ' || "lastName" FROM "User" ORDER BY "clerkId" """));
        Assert.Equal(2L, await world.Database.ScalarAsync<long>("""SELECT count(DISTINCT "id") FROM "User" WHERE "clerkId" IN ('user_4', 'user_5') AND length("id") = 32"""));
    }

    [PostgresFact]
    public async Task AfterABatchOfOnlyNewUsersTheNextIsCopiedWithoutReadingFirstAndARowFoundAfterAllIsStillCountedRight()
    {
        await using var world = await SyncWorld.StartAsync(server);
        await world.CreatePrismaTableAsync();
        var facts = (await SyncSchema.CheckAsync(world.Db, CancellationToken.None)).Facts!;
        var writer = new ResyncBatchWriter(world.Db, world.Time);
        var users = Enumerable.Range(0, 9).Select(i => new SyncUser($"user_{i}", $"u{i}@example.com", "Ada", $"N{i}")).ToList();

        var first = await writer.WriteAsync(users[..3], facts, 5, CancellationToken.None);
        // The app wrote user_4 meanwhile (stale) and user_5 (right): the copy without reading first is refused, and
        // the batch written again the ordinary way.
        await world.InsertRowsAsync([users[4] with { LastName = "Webhook" }, users[5]]);
        var second = await writer.WriteAsync(users[3..6], facts, 5, CancellationToken.None);
        var third = await writer.WriteAsync(users[6..], facts, 5, CancellationToken.None);

        Assert.Equal((3L, 0L, 0L), (first.Inserted, first.Updated, first.Unchanged));
        Assert.Equal((1L, 1L, 1L), (second.Inserted, second.Updated, second.Unchanged));
        Assert.Equal((3L, 0L, 0L), (third.Inserted, third.Updated, third.Unchanged));
        Assert.Equal(users.Select(u => u.ClerkId), (await world.ClerkIdsAsync()).Order(StringComparer.Ordinal));
        Assert.Equal("N4", await world.Database.ScalarAsync<string>("""SELECT "lastName" FROM "User" WHERE "clerkId" = 'user_4'"""));
    }

    [PostgresFact]
    public async Task CopyWritesUuidKeysTimestamptzVarcharAndNullNamesIntoAnotherSchema()
    {
        await using var world = await SyncWorld.StartAsync(server, o =>
        {
            o.Schema = "app";
            o.Table = "users";
            o.Columns = new SyncColumns { ClerkId = "clerk_id", Email = "email", FirstName = "first_name", LastName = "last_name", UpdatedAt = "updated_at", Id = "uid", SoftDelete = "deleted" };
        });
        await world.Database.ExecAsync("""
            CREATE SCHEMA app;
            CREATE TABLE app.users (uid UUID PRIMARY KEY, clerk_id VARCHAR(64) NOT NULL UNIQUE, email VARCHAR(320), first_name TEXT, last_name TEXT,
                                    updated_at TIMESTAMPTZ, deleted BOOLEAN NOT NULL DEFAULT false, plan TEXT NOT NULL DEFAULT 'free');
            """);
        var facts = (await SyncSchema.CheckAsync(world.Db, CancellationToken.None)).Facts!;
        Assert.True(facts.CanCopy);

        var outcome = await new ResyncBatchWriter(world.Db, world.Time).WriteAsync(
            [new SyncUser("user_a", "a@example.com", "Émile", null), new SyncUser("user_b", null, null, "Zoë")], facts, 5, CancellationToken.None);

        Assert.Equal((2L, 0L, 0L, 0), (outcome.Inserted, outcome.Updated, outcome.Unchanged, outcome.Failed));
        Assert.Equal(
            ["user_a|a@example.com|Émile||2026-11-28T18:00:00Z|False|free", "user_b|||Zoë|2026-11-28T18:00:00Z|False|free"],
            await RowsAsync(world, """
                SELECT concat_ws('|', clerk_id, coalesce(email, ''), coalesce(first_name, ''), coalesce(last_name, ''),
                                 to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), CASE WHEN deleted THEN 'True' ELSE 'False' END, plan)
                FROM app.users ORDER BY clerk_id
                """));
        Assert.Equal(2L, await world.Database.ScalarAsync<long>("SELECT count(DISTINCT uid) FROM app.users"));
    }

    [PostgresFact]
    public async Task UnderRowLevelSecurityTheStartupCheckSaysCopyIsOffAndMissingUsersAreInsertedInstead()
    {
        await using var world = await SyncWorld.StartAsync(server);
        await world.CreatePrismaTableAsync();
        var role = "sync_rls_" + Guid.NewGuid().ToString("N")[..12];
        await world.Database.ExecAsync($"""
            CREATE ROLE {role} LOGIN;
            GRANT SELECT, INSERT, UPDATE ON "User" TO {role};
            ALTER TABLE "User" ENABLE ROW LEVEL SECURITY;
            CREATE POLICY everyone ON "User" USING (true) WITH CHECK (true);
            """);
        try
        {
            var options = new SyncOptions { ConnectionString = new NpgsqlConnectionStringBuilder(world.Database.ConnectionString) { Username = role, Pooling = false }.ConnectionString };
            await using var db = new SyncDatabase(Options.Create(options));
            await world.InsertRowsAsync([new SyncUser("user_0", "u0@example.com", "Ada", "Old")]);

            var report = await SyncSchema.CheckAsync(db, CancellationToken.None);
            var outcome = await new ResyncBatchWriter(db, world.Time).WriteAsync(
                [new SyncUser("user_0", "u0@example.com", "Ada", "New"), new SyncUser("user_1", "u1@example.com", "Bea", "N1")], report.Facts!, 5, CancellationToken.None);

            Assert.Empty(report.Problems);
            Assert.False(report.Facts!.CanCopy);
            Assert.Equal(
                "resync reads each batch's rows first, skips the ones already right and writes the others by INSERT ... ON CONFLICT " +
                "(row-level security applies to this role, and COPY FROM can't write under it)", report.Facts.WritePath);
            Assert.Equal((1L, 1L, 0L, 0), (outcome.Inserted, outcome.Updated, outcome.Unchanged, outcome.Failed));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await world.Database.ExecAsync($"""DROP POLICY everyone ON "User"; REVOKE ALL ON "User" FROM {role}; DROP ROLE {role};""");
        }
    }

    [PostgresFact]
    public async Task AUserTheTableRefusesFailsAloneAndTheRestOfTheBatchIsWrittenInTheSameTransaction()
    {
        await using var world = await SyncWorld.StartAsync(server);
        await world.CreatePrismaTableAsync();
        // Another row already holds user_2's email: the COPY of the missing users fails as a whole, then user by user only user_2 does.
        await world.InsertRowsAsync([new SyncUser("user_other", "u2@example.com", null, null), new SyncUser("user_0", "u0@example.com", "Ada", "Old")]);
        var facts = (await SyncSchema.CheckAsync(world.Db, CancellationToken.None)).Facts!;
        var users = Enumerable.Range(0, 4).Select(i => new SyncUser($"user_{i}", $"u{i}@example.com", "Ada", $"N{i}")).ToList();

        var outcome = await new ResyncBatchWriter(world.Db, world.Time).WriteAsync(users, facts, 5, CancellationToken.None);

        Assert.Equal((2L, 1L, 0L, 1), (outcome.Inserted, outcome.Updated, outcome.Unchanged, outcome.Failed));
        Assert.Equal("user_2: duplicate key value violates unique constraint \"User_email_key\" (SQLSTATE 23505)", Assert.Single(outcome.FailedExamples));
        Assert.Equal(["user_0", "user_1", "user_3", "user_other"], (await world.ClerkIdsAsync()).Order(StringComparer.Ordinal));
    }

    /// <summary>Each row's version (xmin), lock mark (xmax: an ON CONFLICT DO UPDATE that changes nothing still locks the row) and updatedAt.</summary>
    private static async Task<Dictionary<string, (long Version, long Lock, DateTime UpdatedAt)>> RowVersionsAsync(SyncWorld world)
    {
        await using var connection = new NpgsqlConnection(world.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT "clerkId", xmin::text::bigint, xmax::text::bigint, "updatedAt" FROM "User" """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<string, (long, long, DateTime)>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2), reader.GetDateTime(3));
        }

        return rows;
    }

    private static async Task<List<string>> RowsAsync(SyncWorld world, string sql)
    {
        await using var connection = new NpgsqlConnection(world.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
