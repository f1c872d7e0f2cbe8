using IncidentBot.Sandbox;
using IncidentBot.Tests.Support;
using IncidentBot.Hosting;
using IncidentBot.Shell;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace IncidentBot.Clerk.Tests.Runbooks;

/// <summary>The real shell host (the terminal chat) reading a script on stdin, against the sandbox, in real time.</summary>
public sealed class ShellWalkTests
{
    private static async Task<string> RunShellAsync(ClerkSandbox sandbox, string script, string? logFolder = null)
    {
        var output = new StringWriter();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = Repo.Root, EnvironmentName = "Testing" });
        builder.AddIncidentBot([], shell: true);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Path"] = ":memory:",
            ["Reports:Path"] = Path.Combine(Path.GetTempPath(), "incidentbot-shell-tests"),
            ["Serilog:WriteTo:0:Args:path"] = Path.Combine(logFolder ?? Path.Combine(Path.GetTempPath(), "incidentbot-shell-tests"), "log-.txt"),
            ["Clerk:ApiUrl"] = sandbox.ApiUrl,
            ["Clerk:SecretKey"] = TestSandbox.SecretKey,
            ["Clerk:StatusUrl"] = sandbox.StatusUrl,
            ["App:HealthUrl"] = sandbox.HealthUrl,
            ["Hooks:emergency-bypass-on:Url"] = sandbox.HookUrl(SandboxApp.BypassOn),
            ["Hooks:emergency-bypass-on:Secret"] = sandbox.Options.HookSecret,
            ["Hooks:emergency-bypass-off:Url"] = sandbox.HookUrl(SandboxApp.BypassOff),
            ["Hooks:emergency-bypass-off:Secret"] = sandbox.Options.HookSecret,
        });
        builder.Services.AddShell(new ShellIO(new StringReader(script), output, EchoInput: true));
        using var host = builder.Build().CheckStartup();
        await host.RunAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return output.ToString();
    }

    [Fact]
    public async Task TheSecurityBreachRunbookInTheShellReallyBansTheAccounts()
    {
        await using var sandbox = await TestSandbox.StartAsync(TimeProvider.System);
        sandbox.AddUser("user_victim", ["old@example.org", "victim@example.org"], primary: 1, sessions: 13);
        sandbox.AddUser("user_other", ["other@example.org"], sessions: 2);
        sandbox.AddUser("user_bystander", ["bystander@example.org"], sessions: 4);

        var transcript = await RunShellAsync(sandbox, """
            /incident declare security sev1 Stolen sessions
            /incident ack
            /incident affected user_victim other@example.org
            /incident step done
            /as bob
            /incident approve A1
            /incident step done
            /as carol
            /incident approve A2
            /incident step done
            /incident audit
            """);

        Assert.Contains("user_victim <victim@example.org>: 13 active sessions", transcript);
        Assert.Contains("A1 ban: done for all 2 targets", transcript);
        Assert.Contains("A2 set password compromised: done for all 2 targets", transcript);
        Assert.Contains("POST /v1/users/ban -> 200", transcript);
        Assert.Contains("POST /v1/users/user_victim/password/set_compromised -> 200", transcript);
        Assert.Contains("Step 4 of 8: Reset API keys if exposed", transcript);
        Assert.True(sandbox.User("user_victim")!.Banned);
        Assert.True(sandbox.User("user_other")!.Banned);
        Assert.True(sandbox.User("user_victim")!.PasswordCompromised);
        Assert.Empty(sandbox.SessionsOf("user_victim"));
        Assert.Empty(sandbox.SessionsOf("user_other"));
        Assert.False(sandbox.User("user_bystander")!.Banned);
        Assert.Equal(4, sandbox.SessionsOf("user_bystander").Count);
        Assert.Equal(1, sandbox.Count("POST", "^/v1/users/ban$"));
        Assert.Equal(0, sandbox.Count("POST", "/lock$"));
        Assert.Empty(sandbox.Violations);
        Assert.DoesNotContain(TestSandbox.SecretKey, transcript);
    }

    [Fact]
    public async Task TheWebhookDashboardLinkReachesTheTerminalOfWhoAskedAndNeitherTheLogFileNorTheReport()
    {
        await using var sandbox = await TestSandbox.StartAsync(TimeProvider.System);
        var logs = Directory.CreateTempSubdirectory("incidentbot-shell-logs-");
        try
        {
            var transcript = await RunShellAsync(sandbox, """
                /incident declare webhook-failure sev2 Users missing in our database
                /incident ack
                /incident step skip no webhook secret in this drill
                /incident webhooks
                /incident timeline
                /incident audit
                """, logs.FullName);

            var link = Assert.Single(sandbox.DashboardLinks);
            var secret = link[link.IndexOf("#key=", StringComparison.Ordinal)..];
            Assert.Contains("Find the failed deliveries (webhook dashboard, Message Attempts)", transcript);
            Assert.Contains("Webhook dashboard (Svix): for you only", transcript);
            Assert.Equal(1, transcript.Split(secret).Length - 1); // the reply, and nowhere else (timeline, audit)
            Assert.Contains("alice got a webhook dashboard sign-in link, sent to them only.", transcript);
            Assert.Contains("POST /v1/webhooks/svix_url -> 200", transcript);
            var logText = string.Join('\n', logs.GetFiles().Select(f => File.ReadAllText(f.FullName)));
            Assert.NotEmpty(logText); // the host wrote its log file...
            Assert.DoesNotContain(secret, logText); // ...and never got the link
            Assert.Empty(sandbox.Violations);
        }
        finally
        {
            logs.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task TheAuthOutageRunbookInTheShell()
    {
        await using var sandbox = await TestSandbox.StartAsync(TimeProvider.System);
        sandbox.StatusJson = """{"status":{"indicator":"major","description":"Partial System Outage"}}""";

        var transcript = await RunShellAsync(sandbox, """
            /incident declare auth-outage sev1 Nobody can sign in
            /incident ack
            /incident step done
            /incident step done
            /incident step done
            /incident step done
            /incident step choose clerk-outage
            /as bob
            /incident approve A1
            /incident status
            /incident step done
            /incident step done
            /incident step done
            /as carol
            /incident approve A2
            /incident step done
            /incident step done
            /incident step done
            """);

        Assert.Contains("Check clerk.status: PROBLEM", transcript);
        Assert.Contains("Partial System Outage", transcript);
        Assert.Contains("Check app.health: ok", transcript);
        Assert.Contains("Check clerk.config", transcript);
        Assert.Contains("EMERGENCY BYPASS: ON since", transcript);
        Assert.Contains("A1 hook emergency-bypass-on: done for all 1 target", transcript);
        Assert.Contains("A2 hook emergency-bypass-off: done for all 1 target", transcript);
        Assert.Contains("all steps of Auth outage response are finished", transcript);
        Assert.Empty(sandbox.Violations);
    }
}
