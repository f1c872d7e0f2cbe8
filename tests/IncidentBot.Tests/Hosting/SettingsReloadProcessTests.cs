using System.Text.Json.Nodes;
using IncidentBot.Tests.Faults;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Hosting;

/// <summary>
/// Issue 9: appsettings.json is reloaded while the bot runs. An edit that makes a setting invalid must not kill the
/// process or break paging: the bot keeps its last valid settings and logs each problem naming the key.
/// </summary>
public sealed class SettingsReloadProcessTests : IDisposable
{
    private readonly TestFolder _folder = new();

    [Fact]
    public async Task AnInvalidEditWhileRunningIsRefusedAndTheOldRosterStillPages()
    {
        var settings = Path.Combine(_folder.Path, "appsettings.json");
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "appsettings.json")))!;
        File.WriteAllText(settings, json.ToJsonString());
        var environment = new Dictionary<string, string>(_folder.Environment)
        {
            ["Runbooks__Path"] = Path.Combine(Repo.Root, "manifests", "runbooks"),
        };

        await using var bot = AppProcess.StartIn(_folder.Path, environment, "shell");
        await bot.SendAsync("/incident status");
        await bot.WaitForAsync("alice>");

        // alice loses her role: the roster would have no on-call person to page.
        json["Roster"]!["People"]![0]!["Role"] = "";
        File.WriteAllText(settings, json.ToJsonString());
        await bot.WaitForAsync("Roster:People:0:Role is empty");

        await bot.SendAsync("/incident declare auth-outage sev2 Users cannot sign in");
        await bot.WaitForAsync("bot -> alice (direct message)");

        Assert.False(bot.HasExited, bot.Output);
        Assert.Contains("Settings change refused", bot.Output);
        Assert.Contains("previous values stay in force", bot.Output);
        Assert.DoesNotContain("OptionsValidationException", bot.Output);
        Assert.Equal(0, await bot.EndInputAndWaitAsync());
    }

    public void Dispose() => _folder.Dispose();
}
