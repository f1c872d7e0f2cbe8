using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using IncidentBot.Clerk;
using IncidentBot.Clerk.Api;
using IncidentBot.Sync;
using IncidentBot.Sync.Bench;
using IncidentBot.Sync.Gap;
using IncidentBot.Sync.Resync;
using IncidentBot.Sync.Sink;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using static IncidentBot.Sync.Bench.BenchDatabase;

// The data-sync benchmark (not a test). Needs a PostgreSQL: INCIDENTBOT_TEST_PG (see README, Data sync).
//   dotnet run -c Release --project bench/IncidentBot.Sync.Bench            every scenario, each in its own process
//   dotnet run -c Release --project bench/IncidentBot.Sync.Bench -- walk gap   only those kinds (walk, resync, resync-drift, seed-loop, gap)
//   dotnet run -c Release --project bench/IncidentBot.Sync.Bench -- run resync 100000 1000 0.9
//   dotnet run -c Release --project bench/IncidentBot.Sync.Bench -- write-ab 100000 3   the database side alone, A/B (WriteAb.cs)
//   dotnet run -c Release --project bench/IncidentBot.Sync.Bench -- parse-ab 3           parsing a users page alone, A/B (ParseAb.cs)
// Environment, for the Clerk emulator (LeanClerk.cs):
//   SYNC_BENCH_FULL_USERS=1      users with every property Clerk sends, not only those the bot reads
//   SYNC_BENCH_WALKERS=<n>       the resync's Sync:Walkers (default: the product's, 8)
//   SYNC_BENCH_LATENCY_MS=<ms>   (integer, default 0) each GET /v1/users and /v1/users/count waits that long before it is
//                                answered, after the rate-limit admission (a 429 is immediate): a round trip to Clerk
if (Environment.GetEnvironmentVariable("INCIDENTBOT_TEST_PG") is not { Length: > 0 } admin)
{
    Console.Error.WriteLine("Set INCIDENTBOT_TEST_PG to an Npgsql connection string of a PostgreSQL you can create databases on (README, Data sync).");
    return 2;
}

var latencyText = Environment.GetEnvironmentVariable("SYNC_BENCH_LATENCY_MS");
var latencyMs = 0;
if (latencyText is { Length: > 0 } && !int.TryParse(latencyText, NumberStyles.None, CultureInfo.InvariantCulture, out latencyMs))
{
    Console.Error.WriteLine($"SYNC_BENCH_LATENCY_MS must be a whole number of milliseconds (0 or more), not '{latencyText}'.");
    return 2;
}

if (args is ["parse-ab", var parseRounds])
{
    await ParseAb.RunAsync(int.Parse(parseRounds, CultureInfo.InvariantCulture));
    return 0;
}

if (args is ["write-ab", var abUsers, var abRounds])
{
    await WriteAb.RunAsync(admin, int.Parse(abUsers, CultureInfo.InvariantCulture), int.Parse(abRounds, CultureInfo.InvariantCulture));
    return 0;
}

if (args is ["run", var runKind, var runUsers, var runLimit, var runHeadroom])
{
    var result = await Scenario.RunAsync(admin, runKind, int.Parse(runUsers, CultureInfo.InvariantCulture),
        runLimit == "none" ? null : int.Parse(runLimit, CultureInfo.InvariantCulture), double.Parse(runHeadroom, CultureInfo.InvariantCulture), TimeSpan.FromMilliseconds(latencyMs));
    Console.WriteLine(JsonSerializer.Serialize(result));
    return 0;
}

var plan = new (string Kind, int Users, string Limit, string Headroom)[]
{
    ("walk", 100_000, "none", "0.9"),
    ("walk", 100_000, "1000", "0.9"),
    ("walk", 100_000, "100", "0.9"),
    ("walk", 100_000, "100", "1"),
    ("resync", 100_000, "none", "0.9"),
    ("resync-drift", 100_000, "none", "0.9"),
    ("resync-drift", 100_000, "1000", "0.9"),
    ("resync", 100_000, "1000", "0.9"),
    ("resync", 100_000, "100", "0.9"),
    ("resync", 100_000, "100", "1"),
    ("seed-loop", 20_000, "none", "0.9"),
    ("gap", 100_000, "none", "0.9"),
    ("gap", 1_000_000, "none", "0.9"),
    ("resync", 1_000_000, "none", "0.9"),
};
if (latencyMs > 0)
{
    Console.WriteLine($"LeanClerk answers each users request {latencyMs} ms late (SYNC_BENCH_LATENCY_MS).");
}

Console.WriteLine("| scenario | users | Clerk limit (req/10 s) | client headroom | seconds | users/s | % of the limit's users/s | Clerk requests | 429s | peak RSS MB |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var (kind, users, limit, headroom) in plan.Where(p => args.Length == 0 || args.Contains(p.Kind)))
{
    var start = new ProcessStartInfo("dotnet", [typeof(Scenario).Assembly.Location, "run", kind, users.ToString(CultureInfo.InvariantCulture), limit, headroom])
    {
        RedirectStandardOutput = true,
    };
    using var child = Process.Start(start)!;
    var line = (await child.StandardOutput.ReadToEndAsync()).Trim().Split('\n')[^1];
    await child.WaitForExitAsync();
    var r = JsonSerializer.Deserialize<Result>(line)!;
    // What the limit allows: `limit` pages of 500 per 10 s. It binds only when the walk needs more than one window's permits.
    var bound = r.Limit is { } l && r.Requests > l ? l / 10.0 * 500 : (double?)null;
    Console.WriteLine($"| {r.Kind} | {r.Users:N0} | {(r.Limit is { } x ? x.ToString("N0", CultureInfo.InvariantCulture) : "none")} | {r.Headroom} | {r.Seconds:0.0} | {r.UsersPerSecond:N0} | " +
                      $"{(bound is { } b ? $"{r.UsersPerSecond / b * 100:0}% of {b:N0}" : r.Limit is null ? "no limit" : "limit not reached")} | {r.Requests:N0} | {r.RateLimited} | {r.PeakMegabytes:0} |");
}

return 0;

public sealed record Result(string Kind, int Users, int? Limit, double Headroom, double Seconds, double UsersPerSecond, int Requests, int RateLimited, double PeakMegabytes,
    double ClerkSeconds, double CheckpointSeconds, double CpuSeconds, double ServerCpuSeconds);

public static class Scenario
{
    public static async Task<Result> RunAsync(string admin, string kind, int users, int? limit, double headroom, TimeSpan latency)
    {
        await using var clerk = await LeanClerk.StartAsync(users, limit, full: Environment.GetEnvironmentVariable("SYNC_BENCH_FULL_USERS") == "1", latency);
        var (name, connectionString) = await BenchDatabase.CreateAsync(admin);
        try
        {
            if (kind is "gap" or "resync-drift")
            {
                await PrefillAsync(connectionString, users);
                await ExecAsync(connectionString, "VACUUM ANALYZE \"User\"");
            }

            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Clerk:ApiUrl"] = clerk.ApiUrl,
                ["Clerk:SecretKey"] = "sk_live_benchmark",
                ["Clerk:RateLimit:LiveRequests"] = (limit ?? 1_000_000).ToString(CultureInfo.InvariantCulture),
                ["Clerk:RateLimit:Headroom"] = headroom.ToString(CultureInfo.InvariantCulture),
                ["Sync:ConnectionString"] = connectionString,
                ["Sync:CheckpointPath"] = Path.Combine(Path.GetTempPath(), name),
            }.Concat(Environment.GetEnvironmentVariable("SYNC_BENCH_WALKERS") is { Length: > 0 } walkers ? [new("Sync:Walkers", walkers)] : [])).Build();
            var services = new ServiceCollection();
            services.AddSingleton(TimeProvider.System);
            services.AddLogging();
            services.AddOptions<SyncOptions>().Bind(configuration.GetSection(SyncOptions.Section));
            services.AddSingleton<SyncDatabase>();
            services.AddClerk(configuration);
            await using var provider = services.BuildServiceProvider();
            var breakdown = new Breakdown();
            var client = breakdown.Wrap(provider.GetRequiredService<IClerkClient>());
            var db = provider.GetRequiredService<SyncDatabase>();

            var postmaster = await ServerCpu.PostmasterAsync(connectionString);
            var serverCpu = ServerCpu.Seconds(postmaster);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            switch (kind)
            {
                case "resync":
                    var store = breakdown.Wrap(new JsonFileCheckpointStore(Path.Combine(Path.GetTempPath(), name)));
                    var done = await new SyncResync(client, db, TimeProvider.System).RunAsync(new ResyncRequest(name, "INC-bench"), null, store, CancellationToken.None);
                    Check(done.Inserted == users, $"resync inserted {done.Inserted}, expected {users}");
                    Directory.Delete(Path.Combine(Path.GetTempPath(), name), recursive: true);
                    break;
                case "resync-drift":
                    // The table as webhooks lost for a while leave it: every 100th user missing, every 50th row stale.
                    var drift = breakdown.Wrap(new JsonFileCheckpointStore(Path.Combine(Path.GetTempPath(), name)));
                    var fixedUp = await new SyncResync(client, db, TimeProvider.System).RunAsync(new ResyncRequest(name, "INC-bench"), null, drift, CancellationToken.None);
                    Check(fixedUp.Inserted == users / 100 && fixedUp.Updated == users / 50, $"resync inserted {fixedUp.Inserted} and updated {fixedUp.Updated}");
                    Directory.Delete(Path.Combine(Path.GetTempPath(), name), recursive: true);
                    break;
                case "gap":
                    var gap = await new SyncGap(client, db).CheckAsync(CancellationToken.None);
                    Check(gap.Missing.Count == users / 100 && gap.ClerkUsers == users, $"gap {gap.Summary}");
                    break;
                case "walk":
                    await foreach (var page in ClerkPages.WalkAsync(client, 500, null, CancellationToken.None))
                    {
                        Check(page.Count > 0, "empty page");
                    }

                    break;
                case "seed-loop":
                    await SeedLoopAsync(client, db, CancellationToken.None);
                    break;
                default:
                    throw new ArgumentException("kind is walk, resync, resync-drift, gap or seed-loop");
            }

            watch.Stop();
            serverCpu = ServerCpu.Seconds(postmaster) - serverCpu;
            var count = await ScalarAsync(connectionString, "SELECT count(*) FROM \"User\"");
            Check(count == kind switch { "gap" => users - (users / 100), "walk" => 0, _ => users }, $"{count} rows");
            await db.DisposeAsync();
            using var self = Process.GetCurrentProcess();
            self.Refresh();
            return new Result(kind, users, limit, headroom, watch.Elapsed.TotalSeconds, users / watch.Elapsed.TotalSeconds, clerk.Requests, clerk.RateLimited,
                self.PeakWorkingSet64 / 1024.0 / 1024.0, breakdown.Clerk.TotalSeconds, breakdown.Checkpoints.TotalSeconds, (self.TotalProcessorTime - cpu).TotalSeconds, serverCpu);
        }
        finally
        {
            await BenchDatabase.DropAsync(admin, name);
        }
    }

    /// <summary>Like the seed's script: a page of 100 users, then one upsert per user, each its own statement and transaction.</summary>
    private static async Task SeedLoopAsync(IClerkClient clerk, SyncDatabase db, CancellationToken cancellationToken)
    {
        var facts = (await SyncSchema.CheckAsync(db, cancellationToken)).Facts!;
        var sql = db.Table.Upsert(facts);
        await using var connection = await db.OpenAsync(cancellationToken);
        await foreach (var page in ClerkPages.WalkAsync(clerk, 100, null, cancellationToken))
        {
            foreach (var user in page.Select(SyncUser.From))
            {
                await using var command = new NpgsqlCommand(sql, connection);
                command.Parameters.AddWithValue("ids", new[] { user.ClerkId });
                command.Parameters.AddWithValue("emails", new[] { user.Email });
                command.Parameters.AddWithValue("firsts", new[] { user.FirstName });
                command.Parameters.AddWithValue("lasts", new[] { user.LastName });
                command.Parameters.AddWithValue("keys", new[] { Guid.NewGuid().ToString("N") });
                command.Parameters.AddWithValue("now", DateTime.UtcNow);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    /// <summary>Every user but each 100th, every 50th with a stale last name, streamed in with binary COPY.</summary>
    private static async Task PrefillAsync(string connectionString, int users)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var import = await connection.BeginBinaryImportAsync("""COPY "User" ("id", "clerkId", "email", "firstName", "lastName", "updatedAt") FROM STDIN (FORMAT binary)""");
        for (var i = 0; i < users; i++)
        {
            if (i % 100 == 3)
            {
                continue;
            }

            await import.StartRowAsync();
            await import.WriteAsync("row" + i.ToString(CultureInfo.InvariantCulture), NpgsqlDbType.Text);
            await import.WriteAsync(LeanClerk.Id(i), NpgsqlDbType.Text);
            await import.WriteAsync(i % 7 == 0 ? $"primary{i}@example.com" : $"u{i}@example.com", NpgsqlDbType.Text);
            await import.WriteAsync("User", NpgsqlDbType.Text);
            await import.WriteAsync(i % 50 == 0 ? "Stale" : "N" + i.ToString(CultureInfo.InvariantCulture), NpgsqlDbType.Text);
            await import.WriteAsync(new DateTime(2026, 1, 1), NpgsqlDbType.Timestamp);
        }

        await import.CompleteAsync();
    }

    private static void Check(bool ok, string what)
    {
        if (!ok)
        {
            throw new InvalidOperationException("benchmark result is wrong: " + what);
        }
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
