using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using IncidentBot.Core.Timeline;
using IncidentBot.Slack.Tests.Support;

namespace IncidentBot.Slack.Tests;

/// <summary>A whole incident, driven through the real host with signed Slack payloads, against the emulator.</summary>
public sealed class SlackIncidentTests : IAsyncLifetime
{
    private SlackEmulator _slack = null!;
    private TestBot _bot = null!;

    public async Task InitializeAsync()
    {
        _slack = await SlackEmulator.StartAsync();
        _bot = await TestBot.StartAsync(_slack);
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task AWholeIncidentRunsInItsOwnSlackChannelFromDeclarationToReport()
    {
        // Declare: the acknowledgement comes at once; the channel is opened after it.
        var ack = await _bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev1 Users cannot sign in", responseUrl: Hook("declare")));
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        Assert.Contains("Declaring INC-1", await ack.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var pin = await _slack.WhenCalledAsync("pins.add");
        var create = Assert.Single(_slack.CallsTo("conversations.create"));
        Assert.Equal("inc-20261128-users-cannot-sign-in", create.Arg("name"));
        var channel = Assert.Single(_slack.CallsTo("conversations.setTopic")).Arg("channel")!;
        Assert.StartsWith("C0INC", channel, StringComparison.Ordinal);
        Assert.Contains("INC-1", Assert.Single(_slack.CallsTo("conversations.setTopic")).Arg("topic"), StringComparison.Ordinal);
        var invited = Assert.Single(_slack.CallsTo("conversations.invite")).Arg("users")!.Split(',');
        Assert.Equal(["W111", "U0ALICE"], invited); // the declarer and the on-call from the roster
        var card = _slack.CallsTo("chat.postMessage").First(c => c.Arg("channel") == channel);
        Assert.Contains("INC-1 · Users cannot sign in", card.Arg("blocks"), StringComparison.Ordinal);
        Assert.Equal(channel, pin.Arg("channel"));
        await _bot.DrainAsync();
        var room = _bot.Incidents.Find("INC-1")!.RoomOn("slack")!;
        Assert.Equal(channel, room.ChannelId);
        Assert.Equal(pin.Arg("timestamp"), room.CardMessageId);
        Assert.Contains(_slack.Responses, r => r.Body["text"]!.ToString().Contains($"<#{channel}>", StringComparison.Ordinal));

        // Step 1 is a check: the bot runs it and posts the result; the card changes in place for that too.
        await _bot.SettleAsync();
        Assert.Contains(_slack.CallsTo("chat.postMessage"), c => c.Arg("channel") == channel && c.Arg("text")!.Contains("Check clerk.status", StringComparison.Ordinal));

        // Acknowledge from the incident channel: the pinned card is updated, not posted again.
        var beforeAck = _slack.Calls.Count;
        await _bot.CommandAsync(Payloads.SlashCommand("ack", channelId: channel, userId: "U0BOB"));
        await _bot.SettleAsync();
        var afterAck = _slack.Calls.Skip(beforeAck).ToList();
        var cardUpdates = afterAck.Where(c => c.Method == "chat.update").ToList();
        Assert.NotEmpty(cardUpdates);
        Assert.All(cardUpdates, c => Assert.Equal((channel, room.CardMessageId), (c.Arg("channel"), c.Arg("ts"))));
        Assert.Contains("Investigating", cardUpdates[^1].Arg("blocks"), StringComparison.Ordinal);
        Assert.DoesNotContain(afterAck, c => c.Method == "chat.postMessage" && c.Arg("text") == card.Arg("text"));

        // Two step buttons pressed: each pressed card loses its buttons and shows who did it, when.
        for (var step = 1; step <= 2; step++)
        {
            var stepCard = _slack.CallsTo("chat.postMessage").Last(c => c.Arg("channel") == channel && c.Arg("blocks")!.Contains("\"Done\"", StringComparison.Ordinal));
            var ts = PostedTs(stepCard);
            var blocks = (JsonArray)JsonNode.Parse(stepCard.Arg("blocks")!)!;
            var done = blocks.OfType<JsonObject>().Single(b => (string?)b["type"] == "actions")["elements"]!.AsArray()
                .OfType<JsonObject>().Single(e => (string?)e["text"]!["text"] == "Done");
            var pressed = await _bot.InteractionAsync(Payloads.BlockAction(done, channel, ts, blocks, "U0BOB", Hook($"press-{step}")));
            Assert.Equal(HttpStatusCode.OK, pressed.StatusCode);
            await _bot.DrainAsync();

            var update = Assert.Single(_slack.CallsTo("chat.update"), c => c.Arg("ts") == ts);
            Assert.DoesNotContain("\"actions\"", update.Arg("blocks"), StringComparison.Ordinal);
            Assert.Contains("Done by <@U0BOB> at 03:10 UTC", update.Arg("blocks"), StringComparison.Ordinal);
        }

        Assert.Equal(2, _bot.Incidents.Find("INC-1")!.Steps.Count);

        // Channel messages land on the timeline: a retry only once, an edit replaces the text, bots are skipped.
        var message = Payloads.MessageEvent(channel, "Ev-first", "1764300000.000100", "Rolled back the deploy & <watching>");
        Assert.Equal(HttpStatusCode.OK, (await _bot.EventAsync(message)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _bot.EventAsync(message, retryNum: 1)).StatusCode);
        var bot = Payloads.Json("http__event_callback_message_subtype_bot_message.bolt-python.json");
        bot["event"]!["channel"] = channel;
        await _bot.EventAsync(bot);
        var bolted = Payloads.Json("http__event_callback_message_bot_profile.bolt-python.json");
        bolted["event"]!["channel"] = channel;
        await _bot.EventAsync(bolted);
        await _bot.DrainAsync();
        var entry = Assert.Single(_bot.Incidents.Timeline("INC-1"), e => e.Kind == EntryKind.Message);
        Assert.Equal("Display W111 (W111)", entry.Actor); // not in the roster: their Slack display name (users.info) and their id, so a borrowed name reads as what it is
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1764300000000), entry.At);

        var changed = Payloads.Json("http__event_callback_message_changed.bolt-python.json");
        changed["event_id"] = "Ev-edit";
        changed["event"]!["channel"] = channel;
        changed["event"]!["previous_message"]!["ts"] = "1764300000.000100";
        await _bot.EventAsync(changed);
        await _bot.DrainAsync();
        Assert.Equal("updated message", Assert.Single(_bot.Incidents.Timeline("INC-1"), e => e.Kind == EntryKind.Message).Text);

        // Resolve, then the report goes to the channel as a file.
        await _bot.CommandAsync(Payloads.SlashCommand("resolve", channelId: channel, userId: "U0BOB"));
        await _bot.CommandAsync(Payloads.SlashCommand("report", channelId: channel, userId: "U0BOB"));
        var complete = await _slack.WhenCalledAsync("files.completeUploadExternal");
        var uploadUrl = Assert.Single(_slack.CallsTo("files.getUploadURLExternal"));
        Assert.Equal("INC-1.md", uploadUrl.Arg("filename"));
        var (fileId, content) = Assert.Single(_slack.Uploads);
        Assert.Equal(content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), uploadUrl.Arg("length"));
        Assert.Contains("Users cannot sign in", Encoding.UTF8.GetString(content), StringComparison.Ordinal);
        Assert.Equal(channel, complete.Arg("channel_id"));
        Assert.Equal(fileId, (string?)complete.Args["files"]![0]!["id"]);

        Assert.Equal(Core.Incidents.IncidentState.Resolved, _bot.Incidents.Find("INC-1")!.State);
        Assert.Empty(_slack.Violations);
        Assert.All(_bot.Log.Lines, l => Assert.DoesNotContain(SlackEmulator.BotToken, l, StringComparison.Ordinal));
    }

    private string Hook(string name) => $"{_slack.BaseUrl}/hooks/commands/T111/{name}";

    private static string PostedTs(SlackCall post) => (string)post.Answer!["ts"]!;
}
