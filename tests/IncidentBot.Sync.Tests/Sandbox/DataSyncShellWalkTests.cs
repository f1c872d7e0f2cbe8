using System.IO.Compression;
using System.Security.Cryptography;
using IncidentBot.Hosting;
using IncidentBot.Sandbox;
using IncidentBot.Shell;
using IncidentBot.Sync.Tests.Support;
using IncidentBot.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace IncidentBot.Sync.Tests.Sandbox;

/// <summary>
/// The data-sync runbook walked end to end in the real shell host, reading a script, against the sandbox (Clerk, the
/// app's webhook receiver, the pause/resume hooks) and a real PostgreSQL table: every step has a real outcome.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DataSyncShellWalkTests(PostgresServer server)
{
    [PostgresFact]
    public async Task EveryStepOfTheDataSyncRunbookHasARealOutcomeAndTheGapEndsAtZero()
    {
        await using var sandbox = await ClerkSandbox.StartAsync(new SandboxOptions { Users = 2_000, RateLimit = null });
        await using var database = await server.CreateDatabaseAsync();
        await SandboxTable.CreateAsync(database);

        // The app's table was right until the receiver broke; 100 sign-ups never arrived and 30 rows kept an old email.
        var users = sandbox.Users;
        var stale = users.Skip(100).Take(30).Select(u => u.Id).ToHashSet();
        await SandboxTable.FillAsync(database, users.Skip(100), u => stale.Contains(u.Id) ? $"old-{u.Id}@example.invalid" : u.PrimaryEmail);
        var drifted = sandbox.Faults.FailWebhooks(signUps: 5, emailChanges: 3); // and meanwhile, in Clerk, these changed
        var folder = Directory.CreateTempSubdirectory("incidentbot-sync-walk-").FullName;
        try
        {
            var transcript = await RunShellAsync(SandboxBotSettings.For(sandbox, database, folder), """
                /incident declare webhook-failure sev2 Users missing in our database
                /incident ack
                /incident step done
                /incident step done
                /as bob
                /incident approve A1
                /incident step done
                /incident approve A2
                /incident step done
                /incident approve A3
                /incident step done
                /incident step done
                /incident approve A4
                /incident check clerk.webhook-probe
                /incident step done
                /incident step done
                /incident step done
                /incident audit
                """);

            var missing = 100 + 5;
            var changedEmails = 30 + drifted.Count - 5;
            Assert.Contains("Check clerk.webhook-probe: PROBLEM", transcript);
            Assert.Contains($"dry run: would insert {missing} and update {changedEmails} of 2,005 Clerk users", transcript);
            Assert.Contains("A1 hook pause-webhooks: done", transcript);
            Assert.True(sandbox.App.WebhooksPaused is false, "resumed at the end");

            var export = Assert.Single(Directory.GetFiles(Path.Combine(folder, "exports"), "INC-1-users-*.csv.gz"));
            var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(export)));
            Assert.Contains($"1,900 rows to {export}, SHA-256 {sha}", transcript);
            await using (var gz = new GZipStream(File.OpenRead(export), CompressionMode.Decompress))
            {
                Assert.Equal(1_901, new StreamReader(gz).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // header + rows
            }

            Assert.Contains($"2,005 users walked: {missing} inserted, {changedEmails} updated", transcript);
            Assert.Contains("== A3 resync progress ==\n    2,005 of 2,005 users; 0 failed", transcript.ReplaceLineEndings("\n")); // a terminal prints each update
            Assert.Contains("Check sync.gap: ok ==\n    The table matches Clerk: 2,005 Clerk users, 2,005 rows.", transcript.ReplaceLineEndings("\n"));
            Assert.Contains("A4 hook resume-webhooks: done", transcript);
            Assert.Contains("all steps of Data sync recovery are finished", transcript);
            Assert.DoesNotContain("not configured", transcript, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(database.ConnectionString, transcript);
            var ids = await SandboxTable.ClerkIdsAsync(database);
            Assert.Equal(sandbox.Users.Select(u => u.Id).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
            Assert.Empty(sandbox.Violations);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<string> RunShellAsync(Dictionary<string, string?> settings, string script)
    {
        var output = new StringWriter();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = Repo.Root, EnvironmentName = "Testing" });
        builder.AddIncidentBot([], shell: true);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddShell(new ShellIO(new StringReader(script), output, EchoInput: true));
        using var host = builder.Build().CheckStartup();
        await host.RunAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return output.ToString();
    }
}
