using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Drill;

/// <summary>The README's command, as a newcomer types it: the real process, the sample piped into <c>shell --drill</c>.</summary>
public sealed class DrillProcessTests : IDisposable
{
    private readonly TestFolder _folder = new();

    [Fact]
    public async Task TheReadmesDrillCommandWorksTheAuthOutageAndExitsZeroWithTheReportWritten()
    {
        await using var bot = BotProcess.Start(_folder, "shell", "--drill");
        await bot.SendAsync(File.ReadAllLines(Path.Combine(Repo.Root, "samples", "drill-auth-outage.txt")));

        var code = await bot.EndInputAndWaitAsync();

        Assert.Equal(0, code);
        Assert.Contains("DRILL MODE: Clerk and the app are an embedded sandbox at http://127.0.0.1:", bot.Output);
        Assert.Contains("Check clerk.status: PROBLEM ==", bot.Output);
        Assert.Contains("A1 hook emergency-bypass-on: done for all 1 target", bot.Output);
        Assert.DoesNotContain("not configured", bot.Output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Drill mode refused", bot.Output);
        Assert.Contains("INC-1: all steps of Auth outage response are finished.", bot.Output);
        Assert.StartsWith("# Incident Report: DRILL: ", File.ReadAllText(Path.Combine(_folder.Reports, "INC-1.md")));
    }

    public void Dispose() => _folder.Dispose();
}
