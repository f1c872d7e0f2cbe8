using System.Net;
using System.Net.Sockets;
using IncidentBot.Hosting;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Hosting;

/// <summary>The bot as users run it: a real process started with the README's command.</summary>
public sealed class ProcessTests : IDisposable
{
    private readonly TestFolder _folder = new();

    [Fact]
    public async Task APipedScriptRunsToTheEndExitsZeroAndWritesTheReport()
    {
        await using var bot = BotProcess.Start(_folder, "shell");
        await bot.SendAsync(
            "/incident declare auth-outage sev1 Users cannot sign in",
            "/incident ack",
            "/incident note root-cause: expired key",
            "/incident resolve",
            "/incident report");

        var exit = await bot.EndInputAndWaitAsync();

        Assert.True(exit == 0, bot.Output);
        var report = File.ReadAllText(Path.Combine(_folder.Reports, "INC-1.md"));
        Assert.Contains("## Root Cause\nexpired key", report);
        Assert.DoesNotContain("[INF]", bot.Output); // the log goes to the file; the terminal shows the conversation
        Assert.NotEmpty(Directory.GetFiles(_folder.Logs));
    }

    [Fact]
    public async Task AKilledBotResumesTheIncidentAtTheSameStep()
    {
        await using (var first = BotProcess.Start(_folder, "shell"))
        {
            await first.SendAsync("/incident declare auth-outage sev1 Users cannot sign in", "/incident ack", "/incident step done", "/incident step done", "/incident step done");
            await first.WaitForAsync("Step 4 of 11: Verify environment variables");
            await first.KillHardAsync();
        }

        await using var second = BotProcess.Start(_folder, "shell");
        await second.SendAsync("/incident status INC-1", "/incident step INC-1 done");
        var exit = await second.EndInputAndWaitAsync();

        Assert.Equal(0, exit);
        Assert.Contains("Now: step 4 of 11: Verify environment variables", second.Output);
        Assert.Contains("Step 4 done: Verify environment variables (alice).", second.Output);
        Assert.Contains("Step 5 of 11: Is this a Clerk outage or an application issue?", second.Output);
    }

    [Fact]
    public async Task ABrokenRunbookStopsStartUpWithOneLineNamingTheFileAndStep()
    {
        var runbooks = Directory.CreateDirectory(Path.Combine(_folder.Path, "runbooks")).FullName;
        File.WriteAllText(Path.Combine(runbooks, "custom.yaml"), "id: c\ncategory: custom\ntitle: C\nsteps:\n  - id: probe\n    kind: check\n    check: clerk.nope\n    title: Probe\n");
        var environment = _folder.Environment;

        await using var bot = BotProcess.Start(_folder, "shell", $"--Runbooks:Path={runbooks}");
        var exit = await bot.WaitForExitAsync();

        Assert.Equal(StartupProblems.ExitCode, exit);
        var line = Assert.Single(bot.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("IncidentBot cannot start: custom.yaml: step probe: unknown check 'clerk.nope'", line);
    }

    [Fact]
    public async Task TheWebHostAnswersHealthzOnceItIsUp()
    {
        var port = FreePort();
        await using var bot = BotProcess.Start(_folder, "--urls", $"http://127.0.0.1:{port}");
        await bot.WaitForAsync("Now listening on");

        using var http = new HttpClient();
        var response = await http.GetAsync($"http://127.0.0.1:{port}/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => _folder.Dispose();
}
