using IncidentBot.Clerk;
using IncidentBot.Core;
using IncidentBot.Core.Approvals;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;
using IncidentBot.Core.Runbooks;
using IncidentBot.Core.Service;
using IncidentBot.Sandbox;
using IncidentBot.Storage;
using IncidentBot.Sync.Resync;
using IncidentBot.Sync.Tests.Support;
using IncidentBot.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Sync.Tests.Sandbox;

/// <summary>
/// A resync's progress in the incident's room: one message, then updates of it (same update key, the card left
/// alone), no more often than Sync:ProgressSeconds on the fake clock, and the last one with the exact final figures.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ResyncProgressTests(PostgresServer server)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 18, 0, 0, TimeSpan.Zero);

    [PostgresFact]
    public async Task ProgressIsOneMessageUpdatedInPlaceThrottledOnTheClockWithExactFinalFigures()
    {
        var time = new FakeTimeProvider(Start);
        await using var sandbox = await ClerkSandbox.StartAsync(new SandboxOptions { Users = 1_000, RateLimit = null });
        await using var database = await server.CreateDatabaseAsync();
        await SandboxTable.CreateAsync(database);
        await SandboxTable.FillAsync(database, sandbox.Users.Take(300));
        var folder = Directory.CreateTempSubdirectory("incidentbot-progress-").FullName;
        var chat = new RecordingChat();
        try
        {
            await using var services = Build(time, sandbox, database, folder, chat);
            var incidents = services.GetRequiredService<IncidentService>();
            var (incident, _) = await incidents.DeclareAsync(new Actor("alice"), "webhook-failure", Severity.Sev2, "Users missing", null, null, CancellationToken.None);
            var actions = services.GetServices<IActionRunner>().Single(r => r.Key == RunnerKey.Sync);
            var before = chat.Publications.Count;

            var result = Assert.Single(await actions.RunAsync(
                new ActionRun(incident!.Id, "A1", "sync.resync", [], new Dictionary<string, string>(), "bob"), CancellationToken.None));

            Assert.True(result.Succeeded, result.Detail);
            Assert.Equal("1,000 users walked: 700 inserted, 0 updated, 300 already right, 0 failed. Orphaned rows left alone (not asked to remove them).", result.Detail);
            var progress = chat.Publications.Skip(before).Where(p => p.Posts.Any(m => m.UpdateKey is not null)).ToList();
            Assert.All(progress, p => Assert.True(p.CardUnchanged));
            var posts = progress.SelectMany(p => p.Posts).ToList();
            Assert.All(posts, m => Assert.Equal("sync.resync:A1", m.UpdateKey));
            Assert.All(posts, m => Assert.Equal("A1 resync progress", m.Header));

            // Ten batches of 100, each checkpoint 2 s on the clock, at most one update per 5 s: batches 1, 4, 7, 10, then
            // the final one. While users are left, the pace so far (100 users in 2 s) and the time left at that pace.
            Assert.Equal(
            [
                "100 of 1,000 users; 0 failed; 50 users/s, about 18 s left",
                "400 of 1,000 users; 0 failed; 50 users/s, about 12 s left",
                "700 of 1,000 users; 0 failed; 50 users/s, about 6 s left",
                "1,000 of 1,000 users; 0 failed",
                "1,000 of 1,000 users; 0 failed",
            ], posts.Select(m => m.Text));
            Assert.DoesNotContain(incidents.Timeline(incident.Id), e => e.Text.Contains("of 1,000 users", StringComparison.Ordinal));
            Assert.Equal(1_000, (await SandboxTable.ClerkIdsAsync(database)).Distinct().Count());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static ServiceProvider Build(FakeTimeProvider time, ClerkSandbox sandbox, TestDatabase database, string folder, RecordingChat chat)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Path"] = ":memory:",
            ["Runbooks:Path"] = Repo.Runbooks,
            ["Reports:Path"] = Path.Combine(folder, "reports"),
            ["Roster:People:0:Name"] = "alice",
            ["Roster:People:0:Role"] = "on-call",
            ["Clerk:ApiUrl"] = sandbox.ApiUrl,
            ["Clerk:SecretKey"] = sandbox.Options.SecretKey,
            ["Clerk:RateLimit:TestRequests"] = "1000000",
            ["Sync:ConnectionString"] = database.ConnectionString,
            ["Sync:BatchSize"] = "100",
            ["Sync:Walkers"] = "1", // one walk, so the batches and their counts come in a known order
            ["Sync:ProgressSeconds"] = "5",
            ["Sync:ExportPath"] = Path.Combine(folder, "exports"),
            ["Sync:CheckpointPath"] = Path.Combine(folder, "checkpoints"),
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddLogging();
        services.AddSingleton<IChatSurface>(chat);
        services.AddIncidentCore(configuration);
        services.AddIncidentStorage(configuration);
        services.AddClerk(configuration);
        services.AddSync(configuration);

        // Each batch's checkpoint takes 2 s on the fake clock: the throttle sees time pass exactly as the batches go by.
        services.AddSingleton<IResyncCheckpointStore>(new TickingCheckpoints(new JsonFileCheckpointStore(Path.Combine(folder, "checkpoints")), time, TimeSpan.FromSeconds(2)));
        return services.BuildServiceProvider();
    }

    private sealed class TickingCheckpoints(IResyncCheckpointStore inner, FakeTimeProvider time, TimeSpan tick) : IResyncCheckpointStore
    {
        public Task<ResyncCheckpoint?> LoadAsync(string key, CancellationToken cancellationToken) => inner.LoadAsync(key, cancellationToken);

        public Task SaveAsync(ResyncCheckpoint checkpoint, CancellationToken cancellationToken)
        {
            time.Advance(tick);
            return inner.SaveAsync(checkpoint, cancellationToken);
        }
    }
}
