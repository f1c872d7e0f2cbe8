using System.Text.Json.Nodes;
using IncidentBot.Slack.Tests.Support;

namespace IncidentBot.Slack.Tests.Inbound;

/// <summary>Issue 13, Low: "@[carol]" in a title became a real mention; nothing someone types may ping anyone.</summary>
public sealed class MentionEscapingTests : IAsyncLifetime
{
    private SlackEmulator _slack = null!;
    private TestBot _bot = null!;

    public async Task InitializeAsync()
    {
        _slack = await SlackEmulator.StartAsync();
        _bot = await TestBot.StartAsync(_slack, new() { ["Roster:People:2:SlackId"] = "U0CAROL" });
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task MentionsTypedIntoATitleOrANoteNeverReachSlackAsMentions()
    {
        const string Typed = "@[carol] <!channel> <!here> <@U0BOB> <!subteam^S1> & co";
        await _bot.CommandAsync(Payloads.SlashCommand($"declare auth-outage sev2 {Typed}", userId: "U0ALICE", responseUrl: _slack.BaseUrl + "/hooks/commands/m"));
        var channel = (await _slack.WhenCalledAsync("pins.add")).Arg("channel")!;
        await _bot.DrainAsync();
        await _bot.CommandAsync(Payloads.SlashCommand($"note {Typed}", channelId: channel, userId: "U0ALICE", responseUrl: _slack.BaseUrl + "/hooks/commands/n"));
        await _bot.CommandAsync(Payloads.SlashCommand("timeline", channelId: channel, userId: "U0ALICE", responseUrl: _slack.BaseUrl + "/hooks/commands/t"));
        await _bot.SettleAsync();

        // What Slack reads as mrkdwn: each message's fallback text and its mrkdwn text objects. (plain_text headers and
        // channel topics are shown as typed: Slack doesn't format or linkify them.)
        var sent = _slack.Calls.Where(c => c.Method is "chat.postMessage" or "chat.update" or "chat.postEphemeral")
            .SelectMany(c => Mrkdwn(c.Args))
            .Concat(_slack.Responses.SelectMany(r => Mrkdwn(r.Body)))
            .ToList();
        var title = _bot.Incidents.Find("INC-1")!.Title;

        Assert.Contains(sent, t => t.Contains("&lt;!channel&gt;", StringComparison.Ordinal));
        Assert.All(sent, t =>
        {
            Assert.DoesNotContain("<@U0CAROL>", t, StringComparison.Ordinal);
            Assert.DoesNotContain("<@U0BOB>", t, StringComparison.Ordinal);
            Assert.DoesNotContain("<!channel>", t, StringComparison.Ordinal);
            Assert.DoesNotContain("<!here>", t, StringComparison.Ordinal);
            Assert.DoesNotContain("<!subteam", t, StringComparison.Ordinal);
        });
        Assert.Equal("@\u2060[carol] <!channel> <!here> <@U0BOB> <!subteam^S1> & co", title);
        Assert.Empty(_slack.Violations);
    }

    [Fact]
    public async Task TheBotsOwnMentionsStillMentionTheRosterPerson()
    {
        await _bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev2 Sign-in is down", userId: "U0ALICE", responseUrl: _slack.BaseUrl + "/hooks/commands/m"));
        var channel = (await _slack.WhenCalledAsync("pins.add")).Arg("channel")!;
        await _bot.DrainAsync();

        await _bot.CommandAsync(Payloads.SlashCommand("commander @carol", channelId: channel, userId: "U0ALICE", responseUrl: _slack.BaseUrl + "/hooks/commands/c"));
        await _bot.SettleAsync();

        Assert.Contains(_slack.Calls, c => c.Arg("blocks")?.Contains("<@U0CAROL>", StringComparison.Ordinal) == true);
    }

    private static IEnumerable<string> Mrkdwn(JsonObject message)
    {
        if ((string?)message["text"] is { } fallback)
        {
            yield return fallback;
        }

        var blocks = message["blocks"] is JsonValue encoded ? JsonNode.Parse((string)encoded!) : message["blocks"];
        foreach (var text in Walk(blocks).Where(o => (string?)o["type"] == "mrkdwn"))
        {
            yield return (string)text["text"]!;
        }
    }

    private static IEnumerable<JsonObject> Walk(JsonNode? node) => node switch
    {
        JsonObject o => new[] { o }.Concat(o.SelectMany(p => Walk(p.Value))),
        JsonArray a => a.SelectMany(Walk),
        _ => [],
    };
}

public sealed class RawControlCharacterTests
{
    [Theory]
    [InlineData(new byte[] { 0xC2, 0x9B }, "ab")]   // C1 CSI, raw UTF-8
    [InlineData(new byte[] { 0xC2, 0x85 }, "ab")]   // C1 NEL
    [InlineData(new byte[] { 0x7F }, "ab")]         // DEL
    [InlineData(new byte[] { 0xC3, 0xA9 }, "aéb")]  // é stays
    public void ControlCharactersSentUnescapedAreDroppedLikeEscapedOnes(byte[] middle, string expected)
    {
        byte[] json = [.. "{\"text\":\"a"u8.ToArray(), .. middle, .. "b\"}"u8.ToArray()];
        Assert.Equal(expected, (string?)IncidentBot.Slack.Inbound.SlackText.ParseObject(json)!["text"]);
    }

    [Fact]
    public void AMentionMarkerSentUnescapedIsBroken() =>
        Assert.Equal("@\u2060[carol]", (string?)IncidentBot.Slack.Inbound.SlackText.ParseObject("{\"text\":\"@[carol]\"}"u8.ToArray())!["text"]);

    [Fact]
    public void APropertyGivenTwiceIsRefusedWhileParsing() =>
        Assert.Null(IncidentBot.Slack.Inbound.SlackText.ParseObject("{\"text\":\"a\",\"text\":\"b\"}"u8.ToArray()));
}
