using System.Text.Json.Nodes;
using IncidentBot.Core.Approvals;
using IncidentBot.Slack.Tests.Support;

namespace IncidentBot.Slack.Tests.Handlers;

public sealed class TwoApproverTests : IAsyncLifetime
{
    private SlackEmulator _slack = null!;
    private TestBot _bot = null!;

    public async Task InitializeAsync()
    {
        _slack = await SlackEmulator.StartAsync();
        _bot = await TestBot.StartAsync(_slack, new()
        {
            // A hook touches one target; above 0 targets every request needs two approvers.
            ["Approvals:TwoApproversAbove"] = "0",
            ["Hooks:pause-webhooks:Url"] = _slack.BaseUrl + "/hooks/pause-webhooks",
            ["Roster:People:2:SlackId"] = "U0CAROL",
        });
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task TheFirstOfTwoApprovalsKeepsTheButtonsAndTheSecondReplacesThemWithTheOutcome()
    {
        await _bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev2 Webhooks are flooding us", userId: "U0ALICE"));
        var channel = (await _slack.WhenCalledAsync("pins.add")).Arg("channel")!;
        await _bot.DrainAsync();
        await _bot.CommandAsync(Payloads.SlashCommand("hook pause-webhooks", channelId: channel, userId: "U0ALICE"));
        await _bot.SettleAsync();
        var card = _slack.CallsTo("chat.postMessage").Single(c => c.Arg("channel") == channel && c.Arg("text")!.Contains("Approval A1", StringComparison.Ordinal));
        var ts = (string)card.Answer!["ts"]!;
        Assert.Equal(2, _bot.Incidents.Find("INC-1")!.FindApproval("A1")!.ApprovalsNeeded);

        // bob approves: 1 of 2, and the card keeps its buttons for the second approver.
        await PressApproveAsync(channel, ts, Blocks(card), "U0BOB");
        var first = _slack.CallsTo("chat.update").Single(c => c.Arg("ts") == ts);
        Assert.Equal(["Approve", "Deny"], Buttons(Blocks(first)));
        Assert.Contains("Approved by <@U0BOB> (1 of 2) at 03:10 UTC, waiting for another approver", first.Arg("blocks"), StringComparison.Ordinal);
        Assert.Equal(ApprovalState.Pending, _bot.Incidents.Find("INC-1")!.FindApproval("A1")!.State);

        // carol approves the card as it now reads: the hook runs and the buttons give way to the outcome.
        await PressApproveAsync(channel, ts, Blocks(first), "U0CAROL");
        var second = _slack.CallsTo("chat.update").Where(c => c.Arg("ts") == ts).Last();
        Assert.Empty(Buttons(Blocks(second)));
        Assert.Contains("Approved by <@U0CAROL> at 03:10 UTC", second.Arg("blocks"), StringComparison.Ordinal);
        Assert.DoesNotContain("waiting for another approver", second.Arg("blocks"), StringComparison.Ordinal);
        Assert.Contains(_slack.Responses, r => r.Path == "pause-webhooks");
        Assert.NotEqual(ApprovalState.Pending, _bot.Incidents.Find("INC-1")!.FindApproval("A1")!.State);
        Assert.Empty(_slack.Violations);
    }

    private async Task PressApproveAsync(string channel, string ts, JsonArray blocks, string userId)
    {
        var approve = blocks.OfType<JsonObject>().Single(b => (string?)b["type"] == "actions")["elements"]!.AsArray()
            .OfType<JsonObject>().Single(e => (string?)e["text"]!["text"] == "Approve");
        var updates = _slack.CallsTo("chat.update").Count();
        await _bot.InteractionAsync(Payloads.BlockAction(approve, channel, ts, blocks, userId, $"{_slack.BaseUrl}/hooks/actions/{userId}"));
        await _slack.WhenCalledAsync("chat.update", updates + 1);
        await _bot.SettleAsync();
    }

    private static JsonArray Blocks(SlackCall call) => (JsonArray)JsonNode.Parse(call.Arg("blocks")!)!;

    private static List<string?> Buttons(JsonArray blocks) =>
        blocks.OfType<JsonObject>().Where(b => (string?)b["type"] == "actions")
            .SelectMany(b => b["elements"]!.AsArray().OfType<JsonObject>()).Select(e => (string?)e["text"]!["text"]).ToList();
}
