using System.Net;
using IncidentBot.Hosting;
using IncidentBot.Teams.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Teams.Tests;

/// <summary>AddTeams: off without its three settings, and a wrong setting stops start-up with one line naming the key.</summary>
public sealed class TeamsServicesTests
{
    [Fact]
    public async Task WithoutItsSettingsTeamsIsOffAndApiMessagesIsNotThere()
    {
        await using var app = Build(new() { ["Teams:AppId"] = "", ["Teams:AppPassword"] = "", ["Teams:TenantId"] = "" });
        await app.StartAsync();
        var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/api/messages", new StringContent("{}"))).StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public void AnAppIdThatIsNotAGuidStopsStartUpNamingTheKey()
    {
        var failure = Assert.Throws<StartupProblems>(() => Build(new() { ["Teams:AppId"] = "my-bot" }).CheckStartup());

        Assert.Equal("Teams:AppId is 'my-bot'; it must be the bot's Microsoft App ID (a GUID, Azure Bot, Configuration)", Assert.Single(failure.Lines));
    }

    private static WebApplication Build(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = Path.GetTempPath(), EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var config = new Dictionary<string, string?>
        {
            ["Storage:Path"] = ":memory:",
            ["Runbooks:Path"] = IncidentBot.Tests.Support.Repo.Runbooks,
            ["Clerk:StatusUrl"] = IncidentBot.Tests.Support.Offline.StatusUrl,
            ["Roster:People:0:Name"] = "alice",
            ["Roster:People:0:Role"] = "on-call",
            ["Roster:People:1:Name"] = "bob",
            ["Roster:People:1:Role"] = "engineering-lead",
            ["Roster:People:2:Name"] = "carol",
            ["Roster:People:2:Role"] = "cto",
            ["Teams:AppPassword"] = Some.AppPassword,
            ["Teams:TenantId"] = Some.TenantId,
        };
        foreach (var (key, value) in settings)
        {
            config[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(config);
        builder.AddIncidentBot([], shell: false);
        builder.Services.AddTeams(builder.Configuration);
        var app = builder.Build();
        app.MapHealth();
        app.MapTeams();
        return app;
    }
}
