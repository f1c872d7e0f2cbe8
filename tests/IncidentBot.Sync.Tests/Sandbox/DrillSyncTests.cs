using IncidentBot.Drill;
using IncidentBot.Hosting;
using IncidentBot.Sandbox;
using IncidentBot.Shell;
using IncidentBot.Sync.Tests.Support;
using IncidentBot.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace IncidentBot.Sync.Tests.Sandbox;

/// <summary>
/// <c>shell --drill</c> with Sync:ConnectionString set: the webhook-failure drill's app table is that PostgreSQL table
/// (created, filled with the sandbox's users, then drifted by the failing receiver), and the runbook's export, resync
/// and verify steps run for real (samples/drill-webhook-failure-sync.txt). A table holding other users is left alone.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DrillSyncTests(PostgresServer server)
{
    [PostgresFact]
    public async Task TheWebhookDrillDriftsThePostgresTableAndTheSyncStepsRepairItForReal()
    {
        await using var database = await server.CreateDatabaseAsync();
        var folder = Directory.CreateTempSubdirectory("incidentbot-drill-sync-").FullName;
        try
        {
            var script = File.ReadAllText(Path.Combine(Repo.Root, "samples", "drill-webhook-failure-sync.txt"));
            var (output, sandbox) = await RunDrillAsync(database, folder, script);

            Assert.Contains("The app's table is \"public\".\"User\" in PostgreSQL (Sync:ConnectionString), created for the drill: it held the sandbox's 250 users before the fault", output);
            Assert.Contains("Check clerk.webhook-probe: PROBLEM", output);
            Assert.Contains("dry run: would insert 5 and update 3 of 255 Clerk users", output); // the drift: 5 sign-ups, 3 new primary emails
            Assert.Matches(@"A2 Export the user table: done for all 1 target ==\s+- ok ""public"".""User"": 250 rows to .*INC-1-users-\d{8}T\d{6}Z\.csv\.gz, SHA-256 [0-9a-f]{64}", output);
            Assert.Contains("255 users walked: 5 inserted, 3 updated, 247 already right, 0 failed.", output);
            Assert.Contains("Check sync.gap: ok ==", output);
            Assert.Contains("The table matches Clerk: 255 Clerk users, 255 rows.", output);
            Assert.Contains("INC-1: all steps of Data sync recovery are finished.", output);
            Assert.DoesNotContain("not configured", output, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Check sync.gap: unknown", output);
            Assert.DoesNotContain("That failed", output);
            Assert.DoesNotContain(database.ConnectionString, output);
            Assert.True(File.Exists(Path.Combine(folder, "reports", "INC-1.md")));
            var ids = await SandboxTable.ClerkIdsAsync(database);
            Assert.Equal(sandbox.Select(u => u.Id).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [PostgresFact]
    public async Task ADrillNeverWritesIntoATableHoldingOtherUsersAndSaysWhy()
    {
        await using var database = await server.CreateDatabaseAsync();
        await SandboxTable.CreateAsync(database);
        await database.ExecAsync("""INSERT INTO "User" ("id", "clerkId", "email", "updatedAt") VALUES ('real1', 'user_real_customer', 'customer@example.com', now())""");
        var folder = Directory.CreateTempSubdirectory("incidentbot-drill-sync-").FullName;
        try
        {
            var (output, _) = await RunDrillAsync(database, folder, "/incident drill webhook-failure sev2\n");

            Assert.Contains("The app's table is \"public\".\"User\" in PostgreSQL (Sync:ConnectionString), but it holds 1 rows that are not the sandbox's users, so the drill left it untouched", output);
            Assert.Equal(["user_real_customer"], await SandboxTable.ClerkIdsAsync(database));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<(string Output, IReadOnlyList<SandboxUser> Users)> RunDrillAsync(TestDatabase database, string folder, string script)
    {
        var output = new StringWriter();
        var args = DrillMode.TakeFlag(["--drill"], out var drill);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = Repo.Root, Args = args, EnvironmentName = "Testing" });
        builder.AddIncidentBot(args, shell: true);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Path"] = Path.Combine(folder, "incidentbot.db"),
            ["Reports:Path"] = Path.Combine(folder, "reports"),
            ["Serilog:WriteTo:0:Args:path"] = Path.Combine(folder, "logs", "incidentbot-.log"),
            ["Sync:ConnectionString"] = database.ConnectionString,
            ["Sync:ExportPath"] = Path.Combine(folder, "exports"),
            ["Sync:CheckpointPath"] = Path.Combine(folder, "checkpoints"),
        });
        builder.AddDrill(drill);
        builder.Services.AddShell(new ShellIO(new StringReader(script), output, EchoInput: true));
        using var host = builder.Build().CheckStartup();
        var sandbox = host.Services.GetRequiredService<ClerkSandbox>();
        await host.RunAsync().WaitAsync(TimeSpan.FromMinutes(2));
        NpgsqlConnection.ClearAllPools();
        return (output.ToString(), sandbox.Users);
    }
}
