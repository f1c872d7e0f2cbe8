using System.Diagnostics;
using System.Globalization;
using IncidentBot.Sync.Resync;
using IncidentBot.Sync.Sink;
using Microsoft.Extensions.Options;
using Npgsql;
using static IncidentBot.Sync.Bench.BenchDatabase;

namespace IncidentBot.Sync.Bench;

/// <summary>
/// The database side alone, A against B in one process under the same load: the same users (as LeanClerk serves
/// them) written in batches of 500 into an empty Prisma table ("empty") and then again into the full one ("same":
/// every row already right), by (a) the plain batch upsert, one INSERT ... SELECT FROM unnest ... ON CONFLICT per
/// batch, and (b, c) <see cref="ResyncBatchWriter"/> without and with binary COPY for missing users. Rounds alternate.
/// </summary>
public static class WriteAb
{
    public static async Task RunAsync(string admin, int users, int rounds)
    {
        var (name, connectionString) = await BenchDatabase.CreateAsync(admin);
        try
        {
            await using var db = new SyncDatabase(Options.Create(new SyncOptions { ConnectionString = connectionString }));
            var facts = (await SyncSchema.CheckAsync(db, CancellationToken.None)).Facts!;
            var batches = Enumerable.Range(0, users).Select(i => new SyncUser(LeanClerk.Id(i), i % 7 == 0 ? $"primary{i}@example.com" : $"u{i}@example.com", "User", "N" + i.ToString(CultureInfo.InvariantCulture)))
                .Chunk(500).ToList();
            var writer = new ResyncBatchWriter(db, TimeProvider.System);
            var variants = new (string Name, Func<SyncUser[], Task> Write)[]
            {
                ("upsert", b => PlainUpsertAsync(db, facts, b)),
                ("writer, no COPY", b => writer.WriteAsync(b, facts with { CopyRefusal = "bench" }, 5, CancellationToken.None)),
                ("writer, COPY", b => writer.WriteAsync(b, facts, 5, CancellationToken.None)),
            };
            var postmaster = await ServerCpu.PostmasterAsync(connectionString);
            Console.WriteLine("| round | variant | empty table users/s | CPU s, bench / PostgreSQL | same rows again users/s | CPU s, bench / PostgreSQL |");
            Console.WriteLine("|---:|---|---:|---:|---:|---:|");
            for (var round = 1; round <= rounds; round++)
            {
                foreach (var (variant, write) in variants)
                {
                    await ExecAsync(connectionString, "TRUNCATE \"User\"");
                    await ExecAsync(connectionString, "VACUUM ANALYZE \"User\"");
                    var empty = await TimeAsync(batches, write, postmaster);
                    var same = await TimeAsync(batches, write, postmaster);
                    Console.WriteLine($"| {round} | {variant} | {users / empty.Seconds:N0} | {empty.Cpu:0.00} / {empty.ServerCpu:0.00} | {users / same.Seconds:N0} | {same.Cpu:0.00} / {same.ServerCpu:0.00} |");
                }
            }
        }
        finally
        {
            await BenchDatabase.DropAsync(admin, name);
        }
    }

    private static async Task<(double Seconds, double Cpu, double ServerCpu)> TimeAsync(List<SyncUser[]> batches, Func<SyncUser[], Task> write, int? postmaster)
    {
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var serverCpu = ServerCpu.Seconds(postmaster);
        var start = Stopwatch.GetTimestamp();
        foreach (var batch in batches)
        {
            await write(batch);
        }

        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        self.Refresh();
        return (seconds, (self.TotalProcessorTime - cpu).TotalSeconds, ServerCpu.Seconds(postmaster) - serverCpu);
    }

    /// <summary>The resync's write before ResyncBatchWriter: one upsert statement per batch, one transaction.</summary>
    private static async Task PlainUpsertAsync(SyncDatabase db, SchemaFacts facts, SyncUser[] users)
    {
        await using var connection = await db.OpenAsync(CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand(db.Table.Upsert(facts), connection, transaction))
        {
            command.Parameters.AddWithValue("ids", users.Select(u => u.ClerkId).ToArray());
            command.Parameters.AddWithValue("emails", users.Select(u => u.Email).ToArray());
            command.Parameters.AddWithValue("firsts", users.Select(u => u.FirstName).ToArray());
            command.Parameters.AddWithValue("lasts", users.Select(u => u.LastName).ToArray());
            command.Parameters.AddWithValue("keys", users.Select(_ => Guid.CreateVersion7().ToString("N")).ToArray());
            command.Parameters.AddWithValue("now", DateTime.UtcNow);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
            }
        }

        await transaction.CommitAsync();
    }

}
