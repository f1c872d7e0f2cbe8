using System.Net;
using IncidentBot.Hosting;
using IncidentBot.Slack.Tests.Support;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.Tests;

public sealed class SlackServicesTests
{
    [Fact]
    public async Task WithoutTokenAndSecretSlackIsOffAndTheLogSaysSo()
    {
        await using var slack = await SlackEmulator.StartAsync();
        await using var bot = await TestBot.StartAsync(slack, new() { ["Slack:BotToken"] = "", ["Slack:SigningSecret"] = "" });

        Assert.Contains(bot.Log.Lines, l => l.StartsWith("Slack is off", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await bot.PostSignedAsync("/slack/commands", Payloads.SlashCommand("help"), "application/x-www-form-urlencoded")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bot.Http.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task WithTokenAndSecretTheLogSaysSlackIsOnWithoutShowingThem()
    {
        await using var slack = await SlackEmulator.StartAsync();
        await using var bot = await TestBot.StartAsync(slack);

        var line = Assert.Single(bot.Log.Lines, l => l.StartsWith("Slack is on", StringComparison.Ordinal));
        Assert.DoesNotContain(SlackEmulator.BotToken, line, StringComparison.Ordinal);
        Assert.DoesNotContain(Some.SigningSecret, line, StringComparison.Ordinal);
        await slack.WhenCalledAsync("auth.test"); // the token is checked at start-up
        await bot.DrainAsync();
        Assert.Contains(bot.Log.Lines, l => l.Contains("Slack bot token works", StringComparison.Ordinal) && l.Contains("UBOT", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Slack:ApiUrl", "not a url", "Slack:ApiUrl")]
    [InlineData("Slack:AppToken", "a-bot-token-by-mistake", "Slack:AppToken")]
    [InlineData("Slack:AckBudgetMilliseconds", "5000", "AckBudgetMilliseconds")]
    public async Task InvalidSlackSettingsStopStartUpNamingTheKey(string key, string value, string named)
    {
        await using var slack = await SlackEmulator.StartAsync();

        var error = await Assert.ThrowsAsync<StartupProblems>(() => TestBot.StartAsync(slack, new() { [key] = value }));

        Assert.Contains(named, Assert.Single(error.Lines), StringComparison.Ordinal);
    }
}
