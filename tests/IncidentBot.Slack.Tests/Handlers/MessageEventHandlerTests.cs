using IncidentBot.Core.Timeline;
using IncidentBot.Slack.Tests.Support;

namespace IncidentBot.Slack.Tests.Handlers;

public sealed class MessageEventHandlerTests : IAsyncLifetime
{
    private SlackEmulator _slack = null!;
    private TestBot _bot = null!;
    private string _channel = "";

    public async Task InitializeAsync()
    {
        _slack = await SlackEmulator.StartAsync();
        _bot = await TestBot.StartAsync(_slack);
        await _bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev2 Users cannot sign in"));
        _channel = (await _slack.WhenCalledAsync("pins.add")).Arg("channel")!;
        await _bot.DrainAsync();
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task ADeletedMessageLeavesTheTimeline()
    {
        await _bot.EventAsync(Payloads.MessageEvent(_channel, "Ev-1", "1764300000.000100", "wrong channel, sorry", userId: "U0ALICE"));
        await _bot.DrainAsync();
        var entry = Assert.Single(_bot.Incidents.Timeline("INC-1"), e => e.Kind == EntryKind.Message);
        Assert.Equal("alice", entry.Actor); // a roster person by SlackId

        var deleted = Payloads.Json("http__event_callback_message_changed.bolt-python.json");
        deleted["event_id"] = "Ev-2";
        var ev = deleted["event"]!.AsObject();
        ev["subtype"] = "message_deleted";
        ev["channel"] = _channel;
        ev["deleted_ts"] = "1764300000.000100";
        ev.Remove("message");
        ev["previous_message"]!["ts"] = "1764300000.000100";
        await _bot.EventAsync(deleted);
        await _bot.DrainAsync();

        Assert.DoesNotContain(_bot.Incidents.Timeline("INC-1"), e => e.Kind == EntryKind.Message);
    }

    [Fact]
    public async Task MessagesOutsideIncidentChannelsAreNotRecorded()
    {
        await _bot.EventAsync(Payloads.MessageEvent("C999", "Ev-3", "1764300000.000200", "lunch?"));
        await _bot.DrainAsync();

        Assert.DoesNotContain(_bot.Incidents.Timeline("INC-1"), e => e.Kind == EntryKind.Message);
    }

    [Fact]
    public async Task TheSameEventIdIsHandledOnceEvenWithoutARetryHeader()
    {
        var message = Payloads.MessageEvent(_channel, "Ev-4", "1764300000.000300", "first");
        await _bot.EventAsync(message);
        message["event"]!["ts"] = "1764300000.000301"; // even if the body differed, the event id decides
        await _bot.EventAsync(message);
        await _bot.DrainAsync();

        Assert.Single(_bot.Incidents.Timeline("INC-1"), e => e.Kind == EntryKind.Message);
    }
}
