using System.Net;
using System.Net.Sockets;
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
        var settings = WriteSettings(out var json);
        await using var bot = AppProcess.StartIn(_folder.Path, Environment(), "shell");
        await bot.SendAsync("/incident status");
        await bot.WaitForAsync("alice>");

        // alice loses her role: the roster would have no on-call person to page.
        json["Roster"]!["People"]![0]!["Role"] = "";
        File.WriteAllText(settings, json.ToJsonString());
        await bot.WaitForAsync("Settings change refused: Roster:People:0:Role is empty; every person needs a role (e.g. on-call)");

        await bot.SendAsync("/incident declare auth-outage sev2 Users cannot sign in");
        await bot.WaitForAsync("bot -> alice (direct message)");

        Assert.False(bot.HasExited, bot.Output);
        Assert.Contains("Settings change refused", bot.Output);
        Assert.Contains("previous values stay in force", bot.Output);
        Assert.DoesNotContain("OptionsValidationException", bot.Output);
        Assert.Equal(0, await bot.EndInputAndWaitAsync());
    }

    [Fact]
    public async Task ARosterEditThatLeavesTheEscalationPolicyWithNobodyToPageKeepsPagingTheOldPeople()
    {
        var settings = WriteSettings(out var json);
        await using var bot = AppProcess.StartIn(_folder.Path, Environment(), "shell");
        await bot.SendAsync("/incident status");
        await bot.WaitForAsync("alice>");

        // The roster alone is valid, but Escalation:Levels:0 pages 'on-call', which nobody holds any more.
        json["Roster"]!["People"]![0]!["Role"] = "primary";
        File.WriteAllText(settings, json.ToJsonString());
        await bot.WaitForAsync("Settings change refused: Escalation:Levels:0:Notify names 'on-call'");

        await bot.SendAsync("/incident declare auth-outage sev2 Users cannot sign in");
        await bot.WaitForAsync("bot -> alice (direct message)");

        Assert.False(bot.HasExited, bot.Output);
        Assert.Equal(0, await bot.EndInputAndWaitAsync());
    }

    [Fact]
    public async Task TheWebHostStillAnswersHealthzAfterAnInvalidEdit()
    {
        var settings = WriteSettings(out var json);
        var port = FreePort();
        await using var bot = AppProcess.StartIn(_folder.Path, Environment(), "--urls", $"http://127.0.0.1:{port}");
        await bot.WaitForAsync("Now listening on");

        json["Roster"]!["People"]![1]!["Name"] = "Alice";
        File.WriteAllText(settings, json.ToJsonString());
        await bot.WaitForAsync("the previous values stay in force");

        using var http = new HttpClient();
        var response = await http.GetAsync($"http://127.0.0.1:{port}/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(bot.HasExited, bot.Output);
        Assert.Contains("Settings change refused: Roster:People:1:Name is 'Alice', the same as Roster:People:0:Name; names must differ", bot.Output);
    }

    private string WriteSettings(out JsonNode json)
    {
        var settings = Path.Combine(_folder.Path, "appsettings.json");
        json = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "appsettings.json")))!;
        File.WriteAllText(settings, json.ToJsonString());
        return settings;
    }

    private Dictionary<string, string> Environment() => new(_folder.Environment)
    {
        ["Runbooks__Path"] = Path.Combine(Repo.Root, "manifests", "runbooks"),
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => _folder.Dispose();
}
