using System.Text.RegularExpressions;
using IncidentBot.Core.Timeline;
using IncidentBot.Slack.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace IncidentBot.Slack.Tests.Outbound;

/// <summary>
/// Issue 13: when Slack keeps refusing the bot's messages to an incident's channel, the timeline says so once when it
/// starts (what failed, Slack's error code, never a token) and once when the channel works again ("N messages to
/// #chan could not be delivered between T1 and T2"), not once per message; the failure is never posted back into the
/// failing channel over and over.
/// </summary>
public sealed partial class RoomDeliveryFailureTests : SlackHostTest
{
    private const string Undeliverable = "IncidentBot could not deliver a message here";

    [Theory]
    [InlineData("channel_not_found")]
    [InlineData("is_archived")]
    [InlineData("not_in_channel")]
    public async Task AChannelSlackKeepsRefusingIsOneTimelineLineWhenItStartsAndOneWithTheCountWhenItRecovers(string error)
    {
        var (channel, name) = await DeclareAsync();
        var failing = true;
        Task<IResult?> Refuse(SlackCall call) =>
            Task.FromResult<IResult?>(Volatile.Read(ref failing) && call.Arg("channel") == channel ? Results.Json(new { ok = false, error }) : null);
        Slack.On("chat.postMessage", Refuse);
        Slack.On("chat.update", Refuse);
        var before = CallsToRoom(channel).Count;

        // Three notes, a minute apart, while Slack refuses everything in the channel.
        for (var i = 0; i < 3; i++)
        {
            if (i > 0)
            {
                Bot.Time.Advance(TimeSpan.FromMinutes(1));
            }

            await Bot.CommandAsync(Payloads.SlashCommand($"note INC-1 finding {i}", channelId: channel, userId: "U0ALICE", responseUrl: $"{Slack.BaseUrl}/hooks/alice-{i}"));
            await Bot.SettleAsync();
        }

        var tried = CallsToRoom(channel).Skip(before).ToList();
        var warnings = tried.Count(c => c.Arg("text")?.Contains(Undeliverable, StringComparison.Ordinal) == true);
        Assert.Equal(1, warnings); // the failure is tried in the room once, not after every message
        var missed = tried.Count - warnings;
        Assert.True(missed >= 3, $"only {missed} messages were tried");

        // One line on the timeline, naming the channel and Slack's answer; never the token.
        var started = Assert.Single(Bot.Incidents.Timeline("INC-1"), e => e.Kind == EntryKind.Delivery);
        Assert.StartsWith($"Slack is not delivering IncidentBot's messages to #{name} ({channel}): Slack refused chat.", started.Text, StringComparison.Ordinal);
        Assert.Contains(error, started.Text, StringComparison.Ordinal);
        Assert.Equal("IncidentBot", started.Actor);

        // Each person who caused a message was told privately what went wrong.
        Assert.All(Enumerable.Range(0, 3), i => Assert.Contains(Slack.Responses, r => r.Path == $"alice-{i}" && r.Body.ToJsonString().Contains(error, StringComparison.Ordinal)));

        // Slack delivers again: the next message gets through, the timeline has the count, and the channel is told.
        Volatile.Write(ref failing, false);
        Bot.Time.Advance(TimeSpan.FromMinutes(1));
        await Bot.CommandAsync(Payloads.SlashCommand("note INC-1 dashboards back", channelId: channel, userId: "U0ALICE", responseUrl: $"{Slack.BaseUrl}/hooks/alice-back"));
        await Bot.SettleAsync();

        var lines = Bot.Incidents.Timeline("INC-1").Where(e => e.Kind == EntryKind.Delivery).ToList();
        Assert.Equal(2, lines.Count);
        var recovered = lines[1].Text;
        Assert.StartsWith($"{missed} messages to #{name} ({channel}) could not be delivered between 03:10:00 UTC and 03:12:00 UTC (Slack: Slack refused chat.", recovered, StringComparison.Ordinal);
        Assert.Contains(error, recovered, StringComparison.Ordinal);
        Assert.Contains(Slack.CallsTo("chat.postMessage"), c => c.Arg("channel") == channel && c.Arg("text")!.Contains($"{missed} messages to #{name}", StringComparison.Ordinal));
        Assert.Contains(Bot.Incidents.Timeline("INC-1"), e => e.Text.Contains("dashboards back", StringComparison.Ordinal));
        Assert.DoesNotContain(Bot.Incidents.Timeline("INC-1"), e => e.Text.Contains(SlackEmulator.BotToken, StringComparison.Ordinal));
        Assert.Empty(Slack.Violations);
    }

    [Fact]
    public async Task Http500sAfterTheClientsRetriesAreOneStretchOfTroubleEndedByTheFirstMessageThatGetsThrough()
    {
        var (channel, name) = await DeclareAsync();
        var failing = true;
        Task<IResult?> Fail(SlackCall call) =>
            Task.FromResult<IResult?>(Volatile.Read(ref failing) && call.Arg("channel") == channel ? Results.StatusCode(500) : null);
        Slack.On("chat.postMessage", Fail);
        Slack.On("chat.update", Fail);

        await Bot.CommandAsync(Payloads.SlashCommand("note INC-1 first finding", channelId: channel, userId: "U0ALICE"));
        await Bot.CommandAsync(Payloads.SlashCommand("note INC-1 second finding", channelId: channel, userId: "U0ALICE"));
        await DrainOnTheClockAsync();

        var started = Assert.Single(Bot.Incidents.Timeline("INC-1"), e => e.Kind == EntryKind.Delivery);
        Assert.Contains($"#{name} ({channel}): Slack refused chat.", started.Text, StringComparison.Ordinal);
        Assert.Contains("HTTP 500", started.Text, StringComparison.Ordinal);
        Assert.Contains(Bot.Log.Lines, l => l.Contains("retry 3 of 3", StringComparison.Ordinal)); // the client's retries came first

        Volatile.Write(ref failing, false);
        await Bot.CommandAsync(Payloads.SlashCommand("note INC-1 better now", channelId: channel, userId: "U0ALICE"));
        await DrainOnTheClockAsync();

        var lines = Bot.Incidents.Timeline("INC-1").Where(e => e.Kind == EntryKind.Delivery).ToList();
        Assert.Equal(2, lines.Count);
        var count = int.Parse(Recovered().Match(lines[1].Text).Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(count >= 2, lines[1].Text);
        Assert.Contains("HTTP 500", lines[1].Text, StringComparison.Ordinal);
        Assert.Empty(Slack.Violations);
    }

    [Fact]
    public async Task AnAnswerAboutOneMessageIsToldToItsAuthorAndStartsNoStretchOfTroubleForTheChannel()
    {
        var (channel, _) = await DeclareAsync();
        Slack.On("chat.postMessage", call => Task.FromResult<IResult?>(
            call.Arg("channel") == channel && call.Arg("text")?.Contains("very long note", StringComparison.Ordinal) == true ? Results.Json(new { ok = false, error = "msg_too_long" }) : null));

        await Bot.CommandAsync(Payloads.SlashCommand("note INC-1 a very long note", channelId: channel, userId: "U0ALICE", responseUrl: $"{Slack.BaseUrl}/hooks/alice-long"));
        await Bot.SettleAsync();
        await Bot.CommandAsync(Payloads.SlashCommand("note INC-1 a short one", channelId: channel, userId: "U0ALICE", responseUrl: $"{Slack.BaseUrl}/hooks/alice-short"));
        await Bot.SettleAsync();

        Assert.Contains(Slack.Responses, r => r.Path == "alice-long" && r.Body.ToJsonString().Contains("msg_too_long", StringComparison.Ordinal));
        Assert.DoesNotContain(Bot.Incidents.Timeline("INC-1"), e => e.Kind == EntryKind.Delivery);
        Assert.Contains(Bot.Incidents.Timeline("INC-1"), e => e.Text.Contains("a very long note", StringComparison.Ordinal)); // recorded all the same
        Assert.Contains(Slack.CallsTo("chat.postMessage"), c => c.Arg("channel") == channel && c.Arg("text")!.Contains("a short one", StringComparison.Ordinal));
        Assert.Empty(Slack.Violations);
    }

    /// <summary>
    /// A security incident: Clerk's status watch (auth-outage and performance incidents) would post into the room on
    /// its own timer while the clock moves, a message the counts below could see or not depending on the thread pool.
    /// </summary>
    private async Task<(string Channel, string Name)> DeclareAsync()
    {
        await Bot.CommandAsync(Payloads.SlashCommand("declare security sev3 Slow dashboard", userId: "U0ALICE"));
        var created = (await Slack.WhenCalledAsync("conversations.create")).Answer!["channel"]!;
        await Slack.WhenCalledAsync("pins.add");
        await Bot.SettleAsync();
        return (created["id"]!.ToString(), created["name"]!.ToString());
    }

    private List<SlackCall> CallsToRoom(string channel) =>
        Slack.Calls.Where(c => c.Method is "chat.postMessage" or "chat.update" && c.Arg("channel") == channel).ToList();

    /// <summary>Waits for the Slack work to finish while the fake clock moves, so the client's backoffs pass.</summary>
    private async Task DrainOnTheClockAsync()
    {
        var drained = Bot.DrainAsync();
        while (!drained.IsCompleted)
        {
            Bot.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(drained, Task.Delay(5));
        }

        await drained;
    }

    [GeneratedRegex(@"^(?<n>\d+) messages? to #")]
    private static partial Regex Recovered();
}
