using IncidentBot.Hosting;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Hosting;

/// <summary>
/// Teams' settings are in the one start-up check: half-configured Teams, a bad URL or value, an unknown key under
/// Teams, or the retired Teams:StoragePath stop the real process with one line per problem, exit code 78.
/// </summary>
public sealed class TeamsSettingsStartupTests : IDisposable
{
    private const string Prefix = BotProcess.RefusedPrefix;
    private const string AppId = "0b6fe6d1-fece-44f7-9a48-56465e2d5ab8";
    private const string TenantId = "50612dbb-0237-4969-b378-8d42590f9c00";
    private readonly TestFolder _folder = new();

    [Theory]
    [InlineData("Teams__AppId", AppId, "Teams:AppPassword", "Teams:AppPassword is empty but Teams:AppId and Teams:TenantId are set; Teams needs all three")]
    [InlineData("Teams__AppPassword", "", "", "Teams:AppPassword is empty but Teams:AppId and Teams:TenantId are set; Teams needs all three")]
    [InlineData("Teams__TenantId", "", "Teams:TenantId", "Teams:TenantId is empty but Teams:AppId and Teams:AppPassword are set; Teams needs all three (MicrosoftAppTenantId, the App Tenant ID of a single-tenant bot)")]
    [InlineData("Teams__TenantId", "contoso", "Teams:TenantId", "Teams:TenantId is 'contoso'; it must be the App Tenant ID (a GUID")]
    [InlineData("Teams__OpenIdMetadataUrl", "login.botframework.com/v1/.well-known/openidconfiguration", "", "Teams:OpenIdMetadataUrl is 'login.botframework.com/v1/.well-known/openidconfiguration'; it must be an absolute http(s) URL")]
    [InlineData("Teams__TokenUrl", "ftp://login.example/{TenantId}/token", "", "Teams:TokenUrl is 'ftp://login.example/{TenantId}/token'; it must be an absolute http(s) URL")]
    [InlineData("Teams__AppPasword", "secret", "", "Teams:AppPasword is not a setting (did you mean Teams:AppPassword?)")]
    [InlineData("Teams__InvokeBudgetMilliseconds", "9000", "", "Teams:InvokeBudgetMilliseconds is 9000; it must be between 100 and 4500")]
    [InlineData("Teams__ClockSkewSeconds", "5m", "", "Teams:ClockSkewSeconds is '5m': not a whole number")]
    [InlineData("Teams__IncidentChannelId", "general", "", "Teams:IncidentChannelId is 'general'; it must be a Teams channel id (19:...@thread.tacv2)")]
    [InlineData("Teams__StoragePath", "data/teams.db", "", "Teams:StoragePath is no longer used: Teams' conversation references now live in the storage file (Storage:Path); remove the setting")]
    public async Task OneTeamsMistakeStopsStartUpWithOneLineNamingTheKey(string variable, string value, string unset, string expected)
    {
        // Teams fully configured (as the aliases an Azure Bot's docs use), then one thing changed or taken away.
        var environment = new Dictionary<string, string>
        {
            ["MicrosoftAppId"] = AppId,
            ["MicrosoftAppPassword"] = "app-password-never-logged",
            ["MicrosoftAppTenantId"] = TenantId,
            ["Roster__People__0__TeamsId"] = "aad-alice",
            ["Roster__People__1__TeamsId"] = "aad-bob",
            ["Roster__People__2__TeamsId"] = "aad-carol",
            [variable] = value,
        };
        if (unset.Length > 0)
        {
            environment.Remove(unset switch { "Teams:AppPassword" => "MicrosoftAppPassword", _ => "MicrosoftAppTenantId" });
        }

        var (exit, lines) = await StartAsync(environment);

        Assert.Equal(StartupProblems.ExitCode, exit);
        Assert.Contains(Prefix + expected, Assert.Single(lines));
        Assert.DoesNotContain(lines, l => l.Contains("app-password-never-logged", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAppIdAloneNamesBothMissingSettings()
    {
        var (exit, lines) = await StartAsync(new() { ["MicrosoftAppId"] = AppId });

        Assert.Equal(StartupProblems.ExitCode, exit);
        Assert.Equal(2, lines.Length);
        Assert.Contains(Prefix + "Teams:AppPassword is empty but Teams:AppId is set; Teams needs all three (MicrosoftAppPassword", lines[0]);
        Assert.Contains(Prefix + "Teams:TenantId is empty but Teams:AppId is set; Teams needs all three (MicrosoftAppTenantId", lines[1]);
    }

    [Fact]
    public async Task EveryTeamsMistakeIsNamedAtOnceWithTheOtherSections()
    {
        var (exit, lines) = await StartAsync(new()
        {
            ["Teams__AppId"] = "my-bot",
            ["Teams__AppPassword"] = "app-password-never-logged",
            ["Teams__TokenUrl"] = "not a url",
            ["Teams__MaxRetries"] = "99",
            ["Teams__Scpe"] = "x",
            ["Slack__BotTokn"] = "xoxb-1",
        });

        Assert.Equal(StartupProblems.ExitCode, exit);
        Assert.Equal(6, lines.Length);
        Assert.Contains(lines, l => l.Contains("Teams:Scpe is not a setting (did you mean Teams:Scope?)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Teams:TenantId is empty but Teams:AppId and Teams:AppPassword are set", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Teams:AppId is 'my-bot'; it must be the bot's Microsoft App ID (a GUID", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Teams:TokenUrl is 'not a url'; it must be an absolute http(s) URL", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Teams:MaxRetries is 99; it must be between 0 and 10", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Slack:BotTokn is not a setting", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TeamsConfiguredRightStartsAndSaysSoWarningOfPagedPeopleWithoutATeamsId()
    {
        // Keys and tokens on loopback ports nothing listens on: start-up must not need them.
        await using var bot = BotProcess.Start(_folder, new Dictionary<string, string>
        {
            ["MicrosoftAppId"] = AppId,
            ["MicrosoftAppPassword"] = "app-password-never-logged",
            ["MicrosoftAppTenantId"] = TenantId,
            ["Teams__OpenIdMetadataUrl"] = "http://127.0.0.1:9/openid",
            ["Teams__TokenUrl"] = "http://127.0.0.1:9/{TenantId}/token",
            ["Roster__People__1__TeamsId"] = "aad-bob",
            ["Roster__People__2__TeamsId"] = "aad-carol",
        }, "--urls", "http://127.0.0.1:0");

        await bot.WaitForAsync("Now listening on");

        Assert.Contains($"Teams is on at POST /api/messages for app {AppId}", bot.Output, StringComparison.Ordinal);
        Assert.Contains("Check this setting: Roster:People:0:TeamsId is empty, but alice can be paged and Teams is on", bot.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Roster:People:1:TeamsId", bot.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("app-password-never-logged", bot.Output, StringComparison.Ordinal);
    }

    private Task<(int Exit, string[] Lines)> StartAsync(Dictionary<string, string> environment, params string[] args) =>
        BotProcess.RefusedStartAsync(_folder, environment, args);

    public void Dispose() => _folder.Dispose();
}
