using System.Net;
using System.Text.Json.Nodes;
using IncidentBot.Slack.Tests.Support;

namespace IncidentBot.Slack.Tests.Outbound;

/// <summary>Escalation pings reach each paged person directly, as a Slack DM, besides the post in the incident's channel.</summary>
public sealed class DirectMessageTests : SlackHostTest
{
    [Fact]
    public async Task ThePagedOnCallGetsTheEscalationPingAsADirectMessageWithAnAcknowledgeButton()
    {
        await Bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev1 Users cannot sign in"));

        // Level 1 of a sev1 pages the on-call: alice, U0ALICE in the roster.
        var open = await Slack.WhenCalledAsync("conversations.open");
        Assert.Equal("U0ALICE", open.Arg("users"));
        var dm = (string)open.Answer!["channel"]!["id"]!;
        await Slack.WhenAsync(e => e.CallsTo("chat.postMessage").Any(c => c.Arg("channel") == dm), $"a message to the DM {dm}");
        await Bot.SettleAsync();

        Assert.Single(Slack.CallsTo("conversations.open"));
        var ping = Assert.Single(Slack.CallsTo("chat.postMessage"), c => c.Arg("channel") == dm);
        Assert.Contains("You are paged for INC-1 (level 1 of 3)", ping.Arg("text"), StringComparison.Ordinal);
        var blocks = (JsonArray)JsonNode.Parse(ping.Arg("blocks")!)!;
        var acknowledge = blocks.OfType<JsonObject>().Single(b => (string?)b["type"] == "actions")["elements"]!.AsArray()
            .OfType<JsonObject>().Single(e => (string?)e["text"]!["text"] == "Acknowledge");
        Assert.EndsWith("ack INC-1", (string?)acknowledge["value"], StringComparison.Ordinal);

        // The same ping is in the incident's channel; the DM is only for alice.
        var channel = Assert.Single(Slack.CallsTo("conversations.create")).Answer!["channel"]!["id"]!.ToString();
        Assert.Contains(Slack.CallsTo("chat.postMessage"), c => c.Arg("channel") == channel && c.Arg("text")!.Contains("Paging level 1 of 3", StringComparison.Ordinal));

        // Pressing Acknowledge in the DM acknowledges the incident and the DM shows who did it.
        var press = Payloads.BlockAction(acknowledge, dm, (string)ping.Answer!["ts"]!, blocks, "U0ALICE", $"{Slack.BaseUrl}/hooks/actions/dm");
        Assert.Equal(HttpStatusCode.OK, (await Bot.InteractionAsync(press)).StatusCode);
        await Bot.SettleAsync();

        Assert.Equal(Core.Incidents.IncidentState.Investigating, Bot.Incidents.Find("INC-1")!.State);
        var pressed = Assert.Single(Slack.CallsTo("chat.update"), c => c.Arg("channel") == dm);
        Assert.Equal(ping.Answer!["ts"]!.ToString(), pressed.Arg("ts"));
        Assert.Contains("by <@U0ALICE>", pressed.Arg("blocks"), StringComparison.Ordinal);
        Assert.DoesNotContain("\"actions\"", pressed.Arg("blocks"), StringComparison.Ordinal);
        Assert.Empty(Slack.Violations);
    }

    [Fact]
    public async Task APageThatSlackRefusesToDeliverIsReportedNamingWhoWasNotReached()
    {
        Slack.Refuse("conversations.open", "user_not_found");

        await Bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev1 Users cannot sign in", responseUrl: $"{Slack.BaseUrl}/hooks/commands/T111/1"));
        await Slack.WhenCalledAsync("conversations.open");
        await Bot.SettleAsync();

        Assert.Contains(Slack.Responses, r => r.Body["text"]!.ToString().Contains(
            "The direct message to alice failed: Slack refused conversations.open: user_not_found.", StringComparison.Ordinal));
    }
}
