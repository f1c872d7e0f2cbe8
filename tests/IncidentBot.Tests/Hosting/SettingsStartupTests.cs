using IncidentBot.Hosting;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Hosting;

/// <summary>
/// A mistake in the settings stops the real process before it starts: one line per problem naming the key, all of them,
/// no stack trace, exit code 78. Settings are given as environment variables, the way a deployment gives them.
/// </summary>
public sealed class SettingsStartupTests : IDisposable
{
    private const string Prefix = BotProcess.RefusedPrefix;
    private readonly TestFolder _folder = new();

    [Theory]
    [InlineData("Escalation__Levels__0__EscalateAfter", "15m", "Escalation:Levels:0:EscalateAfter is '15m': not a duration; write hh:mm:ss")]
    [InlineData("Slack__BotTokn", "xoxb-1", "Slack:BotTokn is not a setting (did you mean Slack:BotToken?)")]
    [InlineData("Slack__CreateChannels", "yes", "Slack:CreateChannels is 'yes': use true or false")]
    [InlineData("Approvals__ExpiryMinutes", "abc", "Approvals:ExpiryMinutes is 'abc': not a whole number")]
    [InlineData("Approvals__ApproverRoles__0", "night-owl", "Approvals:ApproverRoles:0 is 'night-owl', a role nobody in Roster:People holds (roles: cto, engineering-lead, on-call)")]
    [InlineData("Roster__People__2__Name", "Alice", "Roster:People:2:Name is 'Alice', the same as Roster:People:0:Name; names must differ")]
    [InlineData("Slack__BotToken", "xoxb-1", "Slack:SigningSecret is empty but Slack:BotToken is set; Slack needs both")]
    [InlineData("Slack__AppToken", "xapp-1", "Slack:BotToken is empty but Slack:AppToken is set")]
    [InlineData("App__WebhookUrl", "https://app.example.com/webhooks/clerk", "App:WebhookUrl is set but Clerk:WebhookSecret is empty")]
    [InlineData("Clerk__SecretKey", "pk_live_123", "Clerk:SecretKey does not start with sk_live_ or sk_test_")]
    public async Task OneBadSettingStopsStartUpWithOneLineNamingTheKey(string variable, string value, string expected)
    {
        var (exit, lines) = await StartAsync(new() { [variable] = value });

        Assert.Equal(StartupProblems.ExitCode, exit);
        var line = Assert.Single(lines);
        Assert.Contains(Prefix + expected, line);
    }

    [Fact]
    public async Task SlackOnWithPagedPeopleWithoutSlackIdsNamesEachOne()
    {
        var (exit, lines) = await StartAsync(new() { ["Slack__BotToken"] = "xoxb-1", ["Slack__SigningSecret"] = "secret", ["Roster__People__1__SlackId"] = "U0BOB" });

        Assert.Equal(StartupProblems.ExitCode, exit);
        Assert.Equal(2, lines.Length);
        Assert.Contains(Prefix + "Roster:People:0:SlackId is empty, but alice can be paged and Slack is on", lines[0]);
        Assert.Contains(Prefix + "Roster:People:2:SlackId is empty, but carol can be paged and Slack is on", lines[1]);
    }

    [Fact]
    public async Task AStoragePathTheBotCannotWriteStopsStartUp()
    {
        var file = Path.Combine(_folder.Path, "a-file");
        File.WriteAllText(file, "");

        var (exit, lines) = await StartAsync(new() { ["Storage__Path"] = Path.Combine(file, "incidentbot.db") });

        Assert.Equal(StartupProblems.ExitCode, exit);
        Assert.Contains(Prefix + $"Storage:Path is {Path.Combine(file, "incidentbot.db")}: the bot can't write there", Assert.Single(lines));
    }

    [Fact]
    public async Task EveryMistakeIsNamedAtOnce()
    {
        var (exit, lines) = await StartAsync(new()
        {
            ["Escalation__Levels__0__EscalateAfter"] = "15m",
            ["Slack__BotTokn"] = "xoxb-1",
            ["Approvals__ExpiryMinutes"] = "abc",
            ["Approvals__ApproverRoles__0"] = "night-owl", // same section as a value that doesn't parse: still checked
            ["Roster__People__2__Name"] = "alice",
            ["Reports__Pth"] = "elsewhere",
        });

        Assert.Equal(StartupProblems.ExitCode, exit);
        Assert.Equal(6, lines.Length);
        Assert.Contains(lines, l => l.Contains("Escalation:Levels:0:EscalateAfter is '15m'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Slack:BotTokn is not a setting", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Approvals:ExpiryMinutes is 'abc'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Approvals:ApproverRoles:0 is 'night-owl', a role nobody in Roster:People holds", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Roster:People:2:Name is 'alice'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Reports:Pth is not a setting (did you mean Reports:Path?)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAppsettingsFileThatIsNotJsonStopsStartUpWithOneLineSayingWhere()
    {
        // A missing comma after "true".
        var root = Directory.CreateDirectory(Path.Combine(_folder.Path, "root")).FullName;
        File.WriteAllText(Path.Combine(root, "appsettings.json"), "{\n  \"Slack\": { \"CreateChannels\": true\n    \"InviteRoles\": \"on-call\" }\n}\n");

        var (exit, lines) = await StartAsync(new() { ["Runbooks__Path"] = Repo.Runbooks }, "--contentRoot", root);

        Assert.Equal(StartupProblems.ExitCode, exit);
        Assert.Contains(Prefix + "appsettings.json is not valid JSON at line 3", Assert.Single(lines));
    }

    [Fact]
    public async Task ALegalButSurprisingSettingIsAWarningAndTheBotStarts()
    {
        var file = Path.Combine(_folder.Path, "a-file");
        File.WriteAllText(file, "");
        var logs = Path.Combine(file, "logs", "incidentbot-.log");
        await using var bot = BotProcess.Start(
            _folder, new Dictionary<string, string> { ["Approvals__TwoApproversAbove"] = "0", ["Serilog__WriteTo__0__Args__path"] = logs }, "--urls", "http://127.0.0.1:0");

        await bot.WaitForAsync("Now listening on");

        Assert.Contains("Check this setting: Approvals:TwoApproversAbove is 0: every action touching a user needs two approvers", bot.Output);
        Assert.Contains($"Check this setting: Serilog:WriteTo:0:Args:path is {logs}: the bot can't write there", bot.Output);
    }

    private Task<(int Exit, string[] Lines)> StartAsync(Dictionary<string, string> environment, params string[] args) =>
        BotProcess.RefusedStartAsync(_folder, environment, args);

    public void Dispose() => _folder.Dispose();
}
