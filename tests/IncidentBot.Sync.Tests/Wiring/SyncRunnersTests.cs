using IncidentBot.Core.Runbooks;
using IncidentBot.Clerk;
using IncidentBot.Clerk.Tests.Support;
using IncidentBot.Core;
using IncidentBot.Core.Approvals;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;
using IncidentBot.Storage;
using IncidentBot.Sync.Tests.Gap;
using IncidentBot.Sync.Tests.Support;
using IncidentBot.Sandbox;
using IncidentBot.Sync.Wiring;
using IncidentBot.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Sync.Tests.Wiring;

/// <summary>
/// The runners Core calls for sync.gap, sync.export and sync.resync, resolved from the real registrations
/// (AddIncidentCore, AddIncidentStorage, AddClerk, AddSync): the preview is a dry run, the export's row count and
/// SHA-256 land in the audit log, the resync's key is the approval id, and the check is healthy only at zero gap.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SyncRunnersTests(PostgresServer server)
{
    [PostgresFact]
    public async Task ThePreviewIsADryRunAndTheGapCheckIsHealthyOnlyAfterTheApprovedResync()
    {
        await using var world = await SyncWorld.StartAsync(server);
        await world.CreatePrismaTableAsync();
        var drift = Drift.Create(world, 2_000);
        await world.InsertRowsAsync(drift.Rows);
        await using var services = Services(world);
        var incidents = services.GetRequiredService<IncidentService>();
        var check = services.GetServices<ICheckRunner>().Single(r => r.Key == RunnerKey.Sync);
        var actions = services.GetServices<IActionRunner>().Single(r => r.Key == RunnerKey.Sync);
        Assert.All(Catalogue.Actions.Where(a => a.Name.StartsWith("sync.", StringComparison.Ordinal)), a => Assert.Equal(RunnerKey.Sync, a.Runner));

        var before = await check.RunAsync("INC-1", "sync.gap", new Dictionary<string, string>(), CancellationToken.None);
        Assert.False(before.Healthy);
        Assert.Equal("20 missing, 31 stale, 6 orphaned (2,000 Clerk users, 1,986 rows).", before.Summary);

        var export = await actions.RunAsync(Run("sync.export", "A1"), CancellationToken.None);
        var exported = Assert.Single(export);
        Assert.True(exported.Succeeded);
        Assert.Matches(@"^1,986 rows to .*INC-1-users-20261128T180000Z\.csv\.gz, SHA-256 [0-9a-f]{64}$", exported.Detail);
        Assert.Contains(incidents.Audit("INC-1"), a => a.Event == "export" && a.Detail == exported.Detail);

        var plan = await actions.PlanAsync(new ActionAsk("INC-1", "sync.resync", [], new Dictionary<string, string>()), CancellationToken.None);
        Assert.Null(plan.Refusal);
        Assert.False(plan.Destructive);
        Assert.Equal("dry run: would insert 20 and update 31 of 2,000 Clerk users; leaves 6 orphaned rows alone (ask with orphans: delete to remove them)", plan.Summary);
        var deleting = await actions.PlanAsync(new ActionAsk("INC-1", "sync.resync", [], new Dictionary<string, string> { ["orphans"] = "delete" }), CancellationToken.None);
        Assert.True(deleting.Destructive);
        var wrong = await actions.PlanAsync(new ActionAsk("INC-1", "sync.resync", [], new Dictionary<string, string> { ["orphans"] = "purge" }), CancellationToken.None);
        Assert.Equal("orphans must be keep, delete or soft-delete, not 'purge'.", wrong.Refusal);

        var ran = Assert.Single(await actions.RunAsync(Run("sync.resync", "A2", deleting.Parameters), CancellationToken.None));
        Assert.True(ran.Succeeded, ran.Detail);
        Assert.Equal("2,000 users walked: 20 inserted, 31 updated, 1,949 already right, 0 failed. 6 orphaned rows deleted.", ran.Detail);
        Assert.True(File.Exists(Path.Combine(world.Options.CheckpointPath, "A2.json")));

        var after = await check.RunAsync("INC-1", "sync.gap", new Dictionary<string, string>(), CancellationToken.None);
        Assert.True(after.Healthy, after.Summary);
        Assert.Empty(world.Emulator.Violations);
    }

    [Fact]
    public async Task WithoutAConnectionStringTheStepsSaySyncIsNotConfigured()
    {
        var time = new FakeTimeProvider(SyncWorld.Start);
        await using var sandbox = await TestSandbox.StartAsync(time);
        await using var services = Build(time, sandbox, new Dictionary<string, string?>());

        var check = await services.GetServices<ICheckRunner>().Single(r => r.Key == RunnerKey.Sync).RunAsync("INC-1", "sync.gap", new Dictionary<string, string>(), CancellationToken.None);
        var plan = await services.GetServices<IActionRunner>().Single(r => r.Key == RunnerKey.Sync).PlanAsync(new ActionAsk("INC-1", "sync.export", [], new Dictionary<string, string>()), CancellationToken.None);

        Assert.Null(check.Healthy);
        Assert.Equal("Data sync is not configured: set Sync:ConnectionString (and the table mapping, see the README's Data sync section).", check.Summary);
        Assert.Equal(check.Summary, plan.Refusal);
    }

    private static ActionRun Run(string action, string approval, IReadOnlyDictionary<string, string>? parameters = null) =>
        new("INC-1", approval, action, [], parameters ?? new Dictionary<string, string>(), "bob");

    private static ServiceProvider Services(SyncWorld world) => Build(world.Time, world.Emulator, new Dictionary<string, string?>
    {
        ["Sync:ConnectionString"] = world.Database.ConnectionString,
        ["Sync:ExportPath"] = world.Options.ExportPath,
        ["Sync:CheckpointPath"] = world.Options.CheckpointPath,
    });

    private static ServiceProvider Build(FakeTimeProvider time, ClerkSandbox sandbox, Dictionary<string, string?> sync)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Path"] = ":memory:",
            ["Runbooks:Path"] = Path.Combine(RepoPaths.Root, "manifests", "runbooks"),
            ["Reports:Path"] = Path.Combine(Path.GetTempPath(), "incidentbot-sync-tests-reports"),
            ["Roster:People:0:Name"] = "alice",
            ["Roster:People:0:Role"] = "on-call",
            ["Clerk:ApiUrl"] = sandbox.ApiUrl,
            ["Clerk:SecretKey"] = TestSandbox.SecretKey,
            ["Clerk:RateLimit:TestRequests"] = "1000000",
        };
        foreach (var (key, value) in sync)
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddLogging();
        services.AddSingleton<IChatSurface>(new RecordingChat());
        services.AddIncidentCore(configuration);
        services.AddIncidentStorage(configuration);
        services.AddClerk(configuration);
        services.AddSync(configuration);
        return services.BuildServiceProvider();
    }
}
