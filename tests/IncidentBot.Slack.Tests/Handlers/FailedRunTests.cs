using System.Text.Json.Nodes;
using IncidentBot.Core.Approvals;
using IncidentBot.Slack.Tests.Support;

namespace IncidentBot.Slack.Tests.Handlers;

public sealed class FailedRunTests : IAsyncLifetime
{
    private SlackEmulator _slack = null!;
    private TestBot _bot = null!;

    public async Task InitializeAsync()
    {
        _slack = await SlackEmulator.StartAsync();
        _bot = await TestBot.StartAsync(_slack, new()
        {
            // Port 1 on loopback: nothing listens, so the hook fails to connect.
            ["Hooks:pause-webhooks:Url"] = "http://127.0.0.1:1/pause",
        });
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task AnApprovedActionThatFailsReplacesTheButtonsWithTheFailure()
    {
        await _bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev2 Webhooks are flooding us", userId: "U0ALICE"));
        var channel = (await _slack.WhenCalledAsync("pins.add")).Arg("channel")!;
        await _bot.DrainAsync();
        await _bot.CommandAsync(Payloads.SlashCommand("hook pause-webhooks", channelId: channel, userId: "U0ALICE"));
        await _bot.SettleAsync();
        var card = _slack.CallsTo("chat.postMessage").Single(c => c.Arg("channel") == channel && c.Arg("text")!.Contains("Approval A1", StringComparison.Ordinal));
        var ts = (string)card.Answer!["ts"]!;
        var blocks = (JsonArray)JsonNode.Parse(card.Arg("blocks")!)!;
        var approve = blocks.OfType<JsonObject>().Single(b => (string?)b["type"] == "actions")["elements"]!.AsArray()
            .OfType<JsonObject>().Single(e => (string?)e["text"]!["text"] == "Approve");

        await _bot.InteractionAsync(Payloads.BlockAction(approve, channel, ts, blocks, "U0BOB", $"{_slack.BaseUrl}/hooks/actions/U0BOB"));
        await _bot.SettleAsync();
        await _bot.DrainAsync();
        var update = _slack.CallsTo("chat.update").Single(c => c.Arg("ts") == ts);

        Assert.Equal(ApprovalState.Failed, _bot.Incidents.Find("INC-1")!.FindApproval("A1")!.State);
        var updated = (JsonArray)JsonNode.Parse(update.Arg("blocks")!)!;
        Assert.DoesNotContain(updated.OfType<JsonObject>(), b => (string?)b["type"] == "actions");
        Assert.Contains("Approved by <@U0BOB> at 03:10 UTC: FAILED", update.Arg("blocks"), StringComparison.Ordinal);
        Assert.Empty(_slack.Violations);
    }

    [Fact]
    public async Task APressOnARequestSettledByCommandIsRefusedAndTheOldCardShowsHowItStands()
    {
        await _bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev2 Webhooks are flooding us", userId: "U0ALICE"));
        var channel = (await _slack.WhenCalledAsync("pins.add")).Arg("channel")!;
        await _bot.DrainAsync();
        await _bot.CommandAsync(Payloads.SlashCommand("hook pause-webhooks", channelId: channel, userId: "U0ALICE"));
        await _bot.SettleAsync();
        var card = _slack.CallsTo("chat.postMessage").Single(c => c.Arg("channel") == channel && c.Arg("text")!.Contains("Approval A1", StringComparison.Ordinal));
        var ts = (string)card.Answer!["ts"]!;
        var blocks = (JsonArray)JsonNode.Parse(card.Arg("blocks")!)!;
        var deny = blocks.OfType<JsonObject>().Single(b => (string?)b["type"] == "actions")["elements"]!.AsArray()
            .OfType<JsonObject>().Single(e => (string?)e["text"]!["text"] == "Deny");

        await _bot.CommandAsync(Payloads.SlashCommand("deny A1 not now", channelId: channel, userId: "U0BOB"));
        await _bot.SettleAsync();
        await _bot.InteractionAsync(Payloads.BlockAction(deny, channel, ts, blocks, "U0BOB", $"{_slack.BaseUrl}/hooks/actions/U0BOB"));
        await _bot.SettleAsync();
        await _bot.DrainAsync();

        var update = _slack.CallsTo("chat.update").Single(c => c.Arg("ts") == ts);
        Assert.DoesNotContain(((JsonArray)JsonNode.Parse(update.Arg("blocks")!)!).OfType<JsonObject>(), b => (string?)b["type"] == "actions");
        Assert.Contains("Already denied (<@U0BOB> pressed Deny at 03:10 UTC)", update.Arg("blocks"), StringComparison.Ordinal);
        Assert.Contains(_slack.Responses, r => r.Path == "actions/U0BOB" && r.Body.ToJsonString().Contains("is already denied", StringComparison.Ordinal));
        Assert.Empty(_slack.Violations);
    }
}
