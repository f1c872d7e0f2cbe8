using IncidentBot.Sandbox;
using IncidentBot.Sync.Tests.Support;
using IncidentBot.Tests.Support;

namespace IncidentBot.Sync.Tests.Sandbox;

/// <summary>
/// The real bot process is killed (SIGKILL, the app process itself) in the middle of an approved resync and started
/// again: the same request resumes from its checkpoint at start-up, the timeline says so, and every Clerk user ends
/// up in the table exactly once. Clerk is a sandbox in the test process, held mid-run so the kill lands mid-run.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ResyncKillTests(PostgresServer server)
{
    private static readonly string[] UpToTheResync =
    [
        "/incident declare webhook-failure sev2 Users missing in our database",
        "/incident ack",
        "/incident step done",
        "/incident step done",
        "/as bob",
        "/incident approve A1",
        "/incident step done",
        "/incident approve A2",
        "/incident step done",
        "/incident approve A3",
    ];

    [PostgresFact]
    public async Task AResyncKilledMidRunResumesAsTheSameRequestAndEveryUserIsThereOnce()
    {
        await using var sandbox = await ClerkSandbox.StartAsync(new SandboxOptions { Users = 3_000, RateLimit = null });
        await using var database = await server.CreateDatabaseAsync();
        await SandboxTable.CreateAsync(database);
        await SandboxTable.FillAsync(database, sandbox.Users.Skip(2_500), u => $"old-{u.Id}@example.invalid"); // 500 stale rows, 2,500 missing

        // Every Backend API answer passes the sandbox's Wait. While holding, a users page after the first of its range
        // (a starting_after cursor) waits for the gate (or the caller's death): each walker stops inside a range, never
        // between two, so the kill always lands mid-range. Inspect runs in the same request just before, and says
        // through the request's async flow which kind of page this is.
        var hold = 0;
        var held = 0;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var continuing = new AsyncLocal<bool>();
        sandbox.Inspect = request =>
        {
            continuing.Value = request.Path == "/v1/users" && request.QueryString.Contains("starting_after=", StringComparison.Ordinal);
            return [];
        };
        sandbox.Faults.SlowDown(TimeSpan.FromTicks(1), TimeSpan.FromHours(2));
        sandbox.Wait = async (_, cancellationToken) =>
        {
            if (Volatile.Read(ref hold) == 1 && continuing.Value)
            {
                Interlocked.Increment(ref held);
                try
                {
                    await gate.Task.WaitAsync(cancellationToken);
                }
                finally
                {
                    Interlocked.Decrement(ref held);
                }
            }
        };

        var folder = Directory.CreateTempSubdirectory("incidentbot-sync-kill-").FullName;
        var settings = SandboxBotSettings.For(sandbox, database, folder, batchSize: 100, progressSeconds: 0).ToDictionary(s => s.Key, s => s.Value ?? "");
        settings["Sync:Walkers"] = "2"; // 8 created_at ranges of about 4 pages
        var checkpoints = new IncidentBot.Sync.Resync.JsonFileCheckpointStore(Path.Combine(folder, "checkpoints"));

        try
        {
            int rowsAtKill;
            await using (var first = AppProcess.Start(settings, "shell"))
            {
                await first.SendAsync(UpToTheResync);
                await first.WaitForAsync(" of 3,000 users; 0 failed"); // the first progress: some batches are in
                Volatile.Write(ref hold, 1);
                // Both walkers held on a range's next page, and the page before it committed: nothing can change now.
                using (var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
                {
                    while (Volatile.Read(ref held) < 2
                           || await checkpoints.LoadAsync("A3", patience.Token) is not { } now
                           || !now.Ranges.Any(r => r.LastClerkId is not null && !r.Finished))
                    {
                        await Task.Delay(10, patience.Token);
                    }
                }

                await first.KillHardAsync();
                rowsAtKill = (await SandboxTable.ClerkIdsAsync(database)).Count;
                Assert.DoesNotContain("A3 Resync users from Clerk: done", first.Output);
            }

            Assert.InRange(rowsAtKill, 500, 2_999); // mid-run: not all in (the newest 500, walked first, were stale rows: updated, not added)
            var stopped = (await checkpoints.LoadAsync("A3", CancellationToken.None))!;
            Assert.InRange(stopped.Done, 100, 2_999); // some batches in
            var midway = stopped.Ranges.Where(r => r.LastClerkId is not null && !r.Finished).ToList();
            Assert.NotEmpty(midway);
            var restartedAt = sandbox.Requests.Count;
            Volatile.Write(ref hold, 0);
            gate.TrySetResult();

            await using var second = AppProcess.Start(settings, "shell");
            await second.SendAsync("/as bob", "/incident status INC-1");
            await second.WaitForAsync("A3 Resync users from Clerk: done for all 1 target");
            await second.SendAsync("/incident step done", "/incident timeline");
            var exit = await second.EndInputAndWaitAsync();

            var output = second.Output;
            Assert.True(exit == 0, output);
            Assert.Contains("A3 (Resync users from Clerk) was running when the bot stopped: resuming the same request from its checkpoint.", output);
            Assert.Matches(@"A3 resync resumed from its checkpoint: [\d,]+ users were done in \d+ batches before the stop; \d+ of \d+ created_at ranges left, each continuing after its last user done\.", output);
            Assert.Contains("(resumed)", output); // the progress message says so too
            Assert.Matches(@"Resumed and finished: 3,000 users walked: [\d,]+ inserted, [\d,]+ updated, [\d,]+ already right, 0 failed\.", output);
            Assert.Contains("Check sync.gap: ok", output);
            Assert.Contains("The table matches Clerk: 3,000 Clerk users, 3,000 rows.", output);

            // It continued after its checkpoint: each range stopped midway goes on with its own cursor, and no range
            // finished before the kill is asked for again (until the verify step's gap check plans its own walk: ?limit=1).
            var pages = sandbox.Requests.Skip(restartedAt).Where(r => r.Method == "GET" && r.Path == "/v1/users" && !r.QueryString.Contains("user_id=", StringComparison.Ordinal))
                .TakeWhile(r => r.QueryString != "?limit=1").ToList();
            Assert.All(midway, r => Assert.Contains(pages, p => p.QueryString.Contains($"starting_after={r.LastClerkId}", StringComparison.Ordinal)));
            Assert.All(stopped.Ranges.Where(r => r.Finished && r.After is not null), r => Assert.DoesNotContain(pages, p => p.QueryString.Contains($"created_at_after={r.After}&", StringComparison.Ordinal)));

            var ids = await SandboxTable.ClerkIdsAsync(database);
            Assert.Equal(sandbox.Users.Select(u => u.Id).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal)); // each exactly once
            Assert.Empty(sandbox.Violations);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
