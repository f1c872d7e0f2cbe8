using System.IO.Compression;
using System.Security.Cryptography;
using IncidentBot.Sync.Export;
using IncidentBot.Sync.Gap;
using IncidentBot.Sync.Resync;
using IncidentBot.Sync.Sink;
using IncidentBot.Sync.Tests.Support;

namespace IncidentBot.Sync.Tests.Gap;

/// <summary>
/// 20,000 Clerk users and a Prisma "User" table that drifted: 200 users missing, 309 stale rows (200 wrong emails,
/// 80 wrong last names, 29 holding the first email where the second is primary, as the seed's script writes them),
/// 60 orphans. The gap is found exactly, the export is written and checksummed, resync closes the gap and leaves
/// the orphans alone until it is asked to delete them.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DataSyncEndToEndTests(PostgresServer server)
{
    [PostgresFact]
    public async Task TheGapIsFoundExactlyAndResyncClosesItLeavingOrphansUntilAsked()
    {
        await using var world = await SyncWorld.StartAsync(server);
        await world.CreatePrismaTableAsync();
        var drift = Drift.Create(world, 20_000);
        await world.InsertRowsAsync(drift.Rows);

        var gap = await new SyncGap(world.Clerk, world.Db).CheckAsync(CancellationToken.None);

        Assert.Equal(20_000, gap.ClerkUsers);
        Assert.Equal(19_860, gap.Rows);
        Assert.Equal(200, gap.Missing.Count);
        Assert.Equal(309, gap.Stale.Count);
        Assert.Equal(60, gap.Orphans.Count);
        Assert.All(gap.Missing.Examples, id => Assert.Contains(id, drift.Missing));
        Assert.All(gap.Orphans.Examples, id => Assert.Contains(id, drift.Orphans));
        Assert.Equal(5, gap.Stale.Examples.Count);
        Assert.Equal("200 missing, 309 stale, 60 orphaned (20,000 Clerk users, 19,860 rows).", gap.Summary);
        Assert.Empty(world.Emulator.Violations);
        // The newest and the oldest user (the plan), then 32 created_at ranges walked at once: 40 pages' worth of users,
        // each range ending on a short page.
        var pages = world.Emulator.Requests.Where(r => r.Method == "GET" && r.Path == "/v1/users").ToList();
        Assert.Equal(2, pages.Count(r => !r.QueryString.Contains("created_at_", StringComparison.Ordinal)));
        Assert.InRange(pages.Count - 2, 40, 40 + 32);

        // The export: every row, checksummed as written.
        var export = await new SyncExport(world.Db, world.Time).WriteAsync("INC-7", CancellationToken.None);
        Assert.Equal(Path.Combine(world.Options.ExportPath, "INC-7-users-20261128T180000Z.csv.gz"), export.Path);
        Assert.Equal(19_860, export.Rows);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(export.Path))), export.Sha256);
        var lines = await CsvLinesAsync(export.Path);
        Assert.Equal("id,clerkId,email,firstName,lastName,createdAt,updatedAt", lines[0]);
        Assert.Equal(19_861, lines.Count);

        // Resync without asking about orphans: missing and stale fixed, orphans untouched.
        var checkpoints = new JsonFileCheckpointStore(world.Options.CheckpointPath);
        var result = await new SyncResync(world.Clerk, world.Db, world.Time).RunAsync(new ResyncRequest("A1", "INC-7"), null, checkpoints, CancellationToken.None);

        Assert.Equal((20_000L, 200L, 309L, 19_491L, 0L, 0L), (result.Done, result.Inserted, result.Updated, result.Unchanged, result.Failed, result.OrphansRemoved));
        Assert.False(result.Resumed);
        var after = await new SyncGap(world.Clerk, world.Db).CheckAsync(CancellationToken.None);
        Assert.Equal((0L, 0L, 60L), (after.Missing.Count, after.Stale.Count, after.Orphans.Count));
        var ids = await world.ClerkIdsAsync();
        Assert.All(drift.Orphans, id => Assert.Contains(id, ids));
        var primary = drift.Truth[14];
        Assert.Equal("u14@example.com", primary.Email);
        Assert.Equal(primary.Email, await world.Database.ScalarAsync<string>($"SELECT email FROM \"User\" WHERE \"clerkId\" = '{primary.ClerkId}'"));

        // Asked explicitly: the orphans go, and the gap is zero.
        var delete = await new SyncResync(world.Clerk, world.Db, world.Time)
            .RunAsync(new ResyncRequest("A2", "INC-7", OrphanHandling.Delete), null, checkpoints, CancellationToken.None);

        Assert.Equal((0L, 0L, 20_000L, 60L), (delete.Inserted, delete.Updated, delete.Unchanged, delete.OrphansRemoved));
        var final = await new SyncGap(world.Clerk, world.Db).CheckAsync(CancellationToken.None);
        Assert.True(final.IsZero, final.Summary);
        ids = await world.ClerkIdsAsync();
        Assert.Equal(20_000, ids.Count);
        Assert.Equal(drift.Truth.Select(u => u.ClerkId).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        Assert.Empty(world.Emulator.Violations);
    }

    [PostgresFact]
    public async Task TheGapIsTheSameWhenClerksSideIsSortedInSpilledRuns()
    {
        await using var world = await SyncWorld.StartAsync(server, o => o.SortRunSize = 700);
        await world.CreatePrismaTableAsync();
        var drift = Drift.Create(world, 5_000);
        await world.InsertRowsAsync(drift.Rows);

        var gap = await new SyncGap(world.Clerk, world.Db).CheckAsync(CancellationToken.None);

        Assert.Equal(8, gap.SpilledRuns);
        Assert.Equal((5_000L, drift.Missing.Count, drift.StaleCount, drift.Orphans.Count), (gap.ClerkUsers, gap.Missing.Count, gap.Stale.Count, gap.Orphans.Count));
    }

    private static async Task<List<string>> CsvLinesAsync(string path)
    {
        await using var file = File.OpenRead(path);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var lines = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }
}

/// <summary>The drifted table: Clerk's truth with rows missing, made stale, and orphans added.</summary>
public sealed record Drift(List<SyncUser> Truth, List<SyncUser> Rows, HashSet<string> Missing, HashSet<string> Orphans, long StaleCount)
{
    public static Drift Create(SyncWorld world, int count)
    {
        var truth = Users.AddTo(world.Emulator, Users.Ids(count));
        var rows = new List<SyncUser>();
        var missing = new HashSet<string>(StringComparer.Ordinal);
        long stale = 0;
        for (var i = 0; i < truth.Count; i++)
        {
            var user = truth[i];
            if (i % 100 == 3)
            {
                missing.Add(user.ClerkId);
                continue;
            }

            if (i % 100 == 5)
            {
                user = user with { Email = $"stale{i}@example.com" };
                stale++;
            }
            else if (i % 250 == 9)
            {
                user = user with { LastName = "Renamed" };
                stale++;
            }
            else if (i % 700 == 14)
            {
                user = user with { Email = $"old{i}@example.com" }; // the first address, which is not the primary one
                stale++;
            }

            rows.Add(user);
        }

        var orphans = Users.Ids(count * 3 / 1000, seed: 7).Where(id => !truth.Any(t => t.ClerkId == id)).ToHashSet(StringComparer.Ordinal);
        rows.AddRange(orphans.Select((id, n) => new SyncUser(id, $"gone{n}@example.com", "Gone", null)));
        return new Drift(truth, rows, missing, orphans, stale);
    }
}
