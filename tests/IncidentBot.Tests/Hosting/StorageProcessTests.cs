using System.Diagnostics;
using IncidentBot.Hosting;
using IncidentBot.Storage;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Hosting;

/// <summary>One bot per storage file, and <c>backup</c> beside a running bot, as real processes.</summary>
public sealed class StorageProcessTests : IDisposable
{
    private readonly TestFolder _folder = new();

    [Fact]
    public async Task ASecondBotOnTheSameFileIsRefusedWithOneLineNamingTheProcessThatHoldsIt()
    {
        await using var first = BotProcess.Start(_folder, "--urls", "http://127.0.0.1:0");
        await first.WaitForAsync("Now listening on");
        var holder = File.ReadAllText(StorageLock.PathFor(_folder.Database)).Trim();

        await using var second = BotProcess.Start(_folder, "shell");
        var exit = await second.WaitForExitAsync();

        Assert.Equal(StartupProblems.ExitCode, exit);
        var line = Assert.Single(second.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"IncidentBot cannot start: Storage:Path {_folder.Database} is in use by another IncidentBot (process {holder})", line);
        Assert.Equal("IncidentBot", Process.GetProcessById(int.Parse(holder, System.Globalization.CultureInfo.InvariantCulture)).ProcessName);
    }

    [Fact]
    public async Task BackupBesideARunningBotMakesACopyThatOpensWithEveryIncident()
    {
        await using (var shell = BotProcess.Start(_folder, "shell"))
        {
            await shell.SendAsync("/incident declare auth-outage sev1 Users cannot sign in", "/incident declare auth-outage sev3 Slow sign-in", "/incident note first note");
            Assert.Equal(0, await shell.EndInputAndWaitAsync());
        }

        await using var bot = BotProcess.Start(_folder, "--urls", "http://127.0.0.1:0");
        await bot.WaitForAsync("Now listening on");
        var target = Path.Combine(_folder.Path, "backups", "incidentbot.db");

        await using var backup = BotProcess.Start(_folder, "backup", target);
        var exit = await backup.WaitForExitAsync();

        Assert.True(exit == 0, backup.Output);
        Assert.Contains($"Backed up 2 incidents from {_folder.Database} to {target} (by the running bot)", backup.Output);
        using var copy = new LiteDbIncidentStore(target);
        Assert.Equal(["INC-1", "INC-2"], copy.List(openOnly: false).Select(i => i.Id));
        Assert.Contains(copy.Timeline("INC-2"), e => e.Text.Contains("first note", StringComparison.Ordinal));
    }

    public void Dispose() => _folder.Dispose();
}
