using System.Net;
using System.Text.Json.Nodes;
using IncidentBot.Slack.Tests.Support;

namespace IncidentBot.Slack.Tests.Outbound;

/// <summary>Escalation pings reach each paged person directly, as a Slack DM, besides the post in the incident's channel.</summary>
public sealed class DirectMessageTests : IAsyncLifetime
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
    public async Task ThePagedOnCallGetsTheEscalationPingAsADirectMessageWithAnAcknowledgeButton()
    {
        await _bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev1 Users cannot sign in"));

        // Level 1 of a sev1 pages the on-call: alice, U0ALICE in the roster.
        var open = await _slack.WhenCalledAsync("conversations.open");
        Assert.Equal("U0ALICE", open.Arg("users"));
        var dm = (string)open.Answer!["channel"]!["id"]!;
        await _slack.WhenAsync(e => e.CallsTo("chat.postMessage").Any(c => c.Arg("channel") == dm), $"a message to the DM {dm}");
        await _bot.SettleAsync();

        Assert.Single(_slack.CallsTo("conversations.open"));
        var ping = Assert.Single(_slack.CallsTo("chat.postMessage"), c => c.Arg("channel") == dm);
        Assert.Contains("You are paged for INC-1 (level 1 of 3)", ping.Arg("text"), StringComparison.Ordinal);
        var blocks = (JsonArray)JsonNode.Parse(ping.Arg("blocks")!)!;
        var acknowledge = blocks.OfType<JsonObject>().Single(b => (string?)b["type"] == "actions")["elements"]!.AsArray()
            .OfType<JsonObject>().Single(e => (string?)e["text"]!["text"] == "Acknowledge");
        Assert.EndsWith("ack INC-1", (string?)acknowledge["value"], StringComparison.Ordinal);

        // The same ping is in the incident's channel; the DM is only for alice.
        var channel = Assert.Single(_slack.CallsTo("conversations.create")).Answer!["channel"]!["id"]!.ToString();
        Assert.Contains(_slack.CallsTo("chat.postMessage"), c => c.Arg("channel") == channel && c.Arg("text")!.Contains("Paging level 1 of 3", StringComparison.Ordinal));

        // Pressing Acknowledge in the DM acknowledges the incident and the DM shows who did it.
        var press = Payloads.BlockAction(acknowledge, dm, (string)ping.Answer!["ts"]!, blocks, "U0ALICE", $"{_slack.BaseUrl}/hooks/actions/dm");
        Assert.Equal(HttpStatusCode.OK, (await _bot.InteractionAsync(press)).StatusCode);
        await _bot.SettleAsync();

        Assert.Equal(Core.Incidents.IncidentState.Investigating, _bot.Incidents.Find("INC-1")!.State);
        var pressed = Assert.Single(_slack.CallsTo("chat.update"), c => c.Arg("channel") == dm);
        Assert.Equal(ping.Answer!["ts"]!.ToString(), pressed.Arg("ts"));
        Assert.Contains("by <@U0ALICE>", pressed.Arg("blocks"), StringComparison.Ordinal);
        Assert.DoesNotContain("\"actions\"", pressed.Arg("blocks"), StringComparison.Ordinal);
        Assert.Empty(_slack.Violations);
    }

    [Fact]
    public async Task APageThatSlackRefusesToDeliverIsReportedNamingWhoWasNotReached()
    {
        _slack.Refuse("conversations.open", "user_not_found");

        await _bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev1 Users cannot sign in", responseUrl: $"{_slack.BaseUrl}/hooks/commands/T111/1"));
        await _slack.WhenCalledAsync("conversations.open");
        await _bot.SettleAsync();

        Assert.Contains(_slack.Responses, r => r.Body["text"]!.ToString().Contains(
            "The direct message to alice failed: Slack refused conversations.open: user_not_found.", StringComparison.Ordinal));
    }
}
