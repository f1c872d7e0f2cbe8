using System.Text.Json.Nodes;
using IncidentBot.Slack.Inbound;
using IncidentBot.Slack.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Slack.Tests.Inbound;

/// <summary>Issue 13, Low: the same signed declare sent three times made three incidents.</summary>
public sealed class DuplicateCommandTests : SlackHostTest
{
    [Fact]
    public async Task TheSameSignedDeclareSentThreeTimesDeclaresOneIncident()
    {
        var body = Declare("U0ALICE", "C111");

        var answers = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add(await AckTextAsync(body));
        }

        await Slack.WhenCalledAsync("pins.add");
        await Bot.DrainAsync();
        Assert.Single(Bot.Incidents.List(openOnly: false));
        Assert.Contains("Declaring INC-1", answers[0], StringComparison.Ordinal);
        Assert.All(answers.Skip(1), a => Assert.Contains("Already received", a, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheSameTextFromTheSameUserAndChannelWithinAFewSecondsRunsOnceAndAgainLater()
    {
        await AckTextAsync(Declare("U0ALICE", "C111"));
        var again = await AckTextAsync(Declare("U0ALICE", "C111")); // a new invocation (trigger_id), typed twice
        await Slack.WhenCalledAsync("pins.add");
        await Bot.DrainAsync();
        Assert.Contains("Already received", again, StringComparison.Ordinal);
        Assert.Single(Bot.Incidents.List(openOnly: false));

        Bot.Time.Advance(SlackCommandDeduper.Window);
        await AckTextAsync(Declare("U0ALICE", "C111"));
        await Slack.WhenCalledAsync("pins.add", 2);
        await Bot.DrainAsync();

        Assert.Equal(2, Bot.Incidents.List(openOnly: false).Count);
    }

    [Fact]
    public async Task AnotherUserOrChannelIsNotARepeat()
    {
        await AckTextAsync(Declare("U0ALICE", "C111"));
        await AckTextAsync(Declare("U0BOB", "C111"));
        await AckTextAsync(Declare("U0ALICE", "C222"));
        await Slack.WhenCalledAsync("pins.add", 3);
        await Bot.DrainAsync();

        Assert.Equal(3, Bot.Incidents.List(openOnly: false).Count);
    }

    [Fact]
    public void RememberedKeysAreBoundedAndForgottenOnTheInjectedClock()
    {
        var time = new FakeTimeProvider(Some.Now);
        var keys = new RecentKeys(time, TimeSpan.FromSeconds(5), capacity: 100);

        for (var i = 0; i < 10_000; i++)
        {
            Assert.True(keys.FirstTime($"key {i} " + new string('x', 1000)));
        }

        Assert.True(keys.Count <= 100);
        Assert.False(keys.FirstTime("key 9999 " + new string('x', 1000)));
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(keys.FirstTime("key 9999 " + new string('x', 1000)));
        Assert.Equal(1, keys.Count);
    }

    [Theory]
    [InlineData("ack INC-1", "ack INC-1")]
    [InlineData("  ack   INC-1 ", "ack INC-1")]
    [InlineData("ack\tINC-1", "ack INC-1")]
    [InlineData("note INC-1 \n two\r\n lines", "note INC-1 two lines")]
    [InlineData("declare\u00a0auth-outage", "declare auth-outage")]
    [InlineData("", "")]
    [InlineData("   ", "")]
    public void TextTypedWithOtherSpacingIsTheSameCommand(string typed, string same) =>
        Assert.Equal(same, SlackCommandDeduper.Collapsed(typed));

    [Fact]
    public void KeysThatDifferOnlyLateInALongTextAreDifferentKeys()
    {
        var keys = new RecentKeys(new FakeTimeProvider(Some.Now), TimeSpan.FromSeconds(5), capacity: 100);
        var text = new string('x', 5000);
        Assert.True(keys.FirstTime(text + "a"));
        Assert.True(keys.FirstTime(text + "b"));
        Assert.False(keys.FirstTime(text + "a"));
    }

    private string Declare(string userId, string channelId) =>
        Payloads.SlashCommand("declare auth-outage sev2 Users cannot sign in", channelId: channelId, userId: userId, responseUrl: Slack.BaseUrl + "/hooks/commands/dup");

    private async Task<string?> AckTextAsync(string body)
    {
        var response = await Bot.CommandAsync(body);
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? null : (string?)JsonNode.Parse(text)?["text"];
    }
}
