using System.Net;
using System.Text.Json.Nodes;
using IncidentBot.Slack.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

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
    public async Task APageThatSlackRefusesToDeliverIsSaidInTheRoomAndPagesTheNextLevelAtOnce()
    {
        Slack.On("conversations.open", c => Task.FromResult<IResult?>(
            c.Arg("users") == "U0ALICE" ? Results.Json(new { ok = false, error = "user_not_found" }) : null));
        var before = Bot.Time.GetUtcNow();

        await Bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev1 Users cannot sign in", responseUrl: $"{Slack.BaseUrl}/hooks/commands/T111/1"));
        await Slack.WhenAsync(e => e.CallsTo("conversations.open").Any(c => c.Arg("users") == "U0BOB"), "the DM to bob, the next level");
        await Bot.SettleAsync();

        // The clock never moved: bob was paged because alice could not be reached, not because level 1 timed out.
        Assert.Equal(before, Bot.Time.GetUtcNow());
        var channel = Assert.Single(Slack.CallsTo("conversations.create")).Answer!["channel"]!["id"]!.ToString();
        var said = "Could not reach alice: the Slack direct message failed (Slack refused conversations.open: user_not_found). Paging the next level now.";
        Assert.Single(Slack.CallsTo("chat.postMessage"), c => c.Arg("channel") == channel && c.Arg("text")!.Contains(said, StringComparison.Ordinal));
        Assert.Contains(Slack.CallsTo("chat.postMessage"), c => c.Arg("channel") == channel
            && c.Arg("blocks")!.Contains("<@U0BOB>", StringComparison.Ordinal) && c.Arg("text")!.Contains("Paging level 2 of 3", StringComparison.Ordinal));
        var bobDm = (string)Slack.CallsTo("conversations.open").Single(c => c.Arg("users") == "U0BOB").Answer!["channel"]!["id"]!;
        Assert.Contains(Slack.CallsTo("chat.postMessage"), c => c.Arg("channel") == bobDm
            && c.Arg("text")!.Contains("You are paged for INC-1 (level 2 of 3): alice could not be reached", StringComparison.Ordinal));

        var timeline = Bot.Incidents.Timeline("INC-1");
        Assert.Contains(timeline, e => e.Kind == Core.Timeline.EntryKind.Escalation && e.Text == said);
        Assert.Contains(timeline, e => e.Kind == Core.Timeline.EntryKind.Escalation && e.Text.StartsWith("Paged level 2 of 3", StringComparison.Ordinal));
        var state = Bot.Incidents.Find("INC-1")!.Escalation!;
        Assert.Equal(2, state.Level);
        Assert.Equal(before + state.Policy.Levels[1].EscalateAfter, state.NextPingAt);

        // Only once: carol (level 3) is not paged, and the same failure reported again changes nothing.
        Assert.DoesNotContain(Slack.CallsTo("conversations.open"), c => c.Arg("users") == "U0CAROL");
        await Bot.Services.GetRequiredService<Core.Escalation.IPageFailures>().UndeliveredAsync("INC-1", "alice", "again", CancellationToken.None);
        await Bot.SettleAsync();
        Assert.Equal(2, Bot.Incidents.Find("INC-1")!.Escalation!.Level);
        Assert.DoesNotContain(Bot.Incidents.Timeline("INC-1"), e => e.Text.Contains("again", StringComparison.Ordinal));
        Assert.Empty(Slack.Violations);
    }

    [Fact]
    public async Task APageToAPersonWithoutASlackIdIsSaidInTheRoomAndPagesTheNextLevelAtOnce()
    {
        await Bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev1 Users cannot sign in"));
        await Slack.WhenAsync(e => e.CallsTo("conversations.open").Any(c => c.Arg("users") == "U0ALICE"), "the DM to alice, level 1");
        await Bot.SettleAsync();

        // Start-up (and a reload) refuses a pageable person without a Slack id, but the roster can change under a running
        // chain: bob is renamed robert, and INC-1's chain, copied at declaration, still pages "bob", who has no Slack id now.
        var configuration = (IConfigurationRoot)Bot.Services.GetRequiredService<IConfiguration>();
        configuration["Roster:People:1:Name"] = "robert";
        configuration.Reload();
        var due = Bot.Incidents.Find("INC-1")!.Escalation!.NextPingAt!.Value;
        Bot.Time.Advance(due - Bot.Time.GetUtcNow());
        await Slack.WhenAsync(e => e.CallsTo("conversations.open").Any(c => c.Arg("users") == "U0CAROL"), "the DM to carol, the next level");
        await Bot.SettleAsync();

        // Carol was paged at once, at level 2's time, not 15 minutes later.
        Assert.Equal(due, Bot.Time.GetUtcNow());
        Assert.DoesNotContain(Slack.CallsTo("conversations.open"), c => c.Arg("users") == "U0BOB");
        var channel = Assert.Single(Slack.CallsTo("conversations.create")).Answer!["channel"]!["id"]!.ToString();
        var said = "Could not reach bob: no SlackId in the roster. Paging the next level now.";
        Assert.Single(Slack.CallsTo("chat.postMessage"), c => c.Arg("channel") == channel && c.Arg("text")!.Contains(said, StringComparison.Ordinal));
        Assert.Contains(Bot.Incidents.Timeline("INC-1"), e => e.Kind == Core.Timeline.EntryKind.Escalation && e.Text == said);
        var state = Bot.Incidents.Find("INC-1")!.Escalation!;
        Assert.Equal(3, state.Level);
        Assert.Empty(Slack.Violations);
    }

    [Fact]
    public async Task TwoPeopleAtALevelWhomSlackCannotReachAreBothNamedInTheRoomAndTheNextLevelIsPagedOnce()
    {
        await using var bot = await TestBot.StartAsync(Slack, new()
        {
            ["Escalation:Levels:0:Notify:0"] = "on-call",
            ["Escalation:Levels:0:Notify:1"] = "carol",
            ["Escalation:Levels:1:Notify:0"] = "engineering-lead",
            ["Escalation:Levels:2:Notify:0"] = "cto",
        });
        Slack.On("conversations.open", c => Task.FromResult<IResult?>(
            c.Arg("users") is "U0ALICE" or "U0CAROL" ? Results.Json(new { ok = false, error = "user_not_found" }) : null));

        await bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev1 Users cannot sign in"));
        await Slack.WhenAsync(e => e.CallsTo("conversations.open").Any(c => c.Arg("users") == "U0BOB"), "the DM to bob, the next level");
        await Slack.WhenAsync(e => e.CallsTo("chat.postMessage").Count(c => c.Arg("text")!.Contains("Could not reach", StringComparison.Ordinal)) == 2, "both failures said");
        await bot.SettleAsync();

        var channel = Assert.Single(Slack.CallsTo("conversations.create")).Answer!["channel"]!["id"]!.ToString();
        var said = Slack.CallsTo("chat.postMessage").Where(c => c.Arg("channel") == channel && c.Arg("text")!.Contains("Could not reach", StringComparison.Ordinal))
            .Select(c => c.Arg("text")!).ToList();
        Assert.Single(said, t => t.Contains("Could not reach alice: ", StringComparison.Ordinal));
        Assert.Single(said, t => t.Contains("Could not reach carol: ", StringComparison.Ordinal));
        Assert.Single(said, t => t.Contains("Paging the next level now.", StringComparison.Ordinal));
        Assert.Single(said, t => t.Contains("Level 2 of 3 is already paged.", StringComparison.Ordinal));
        var timeline = bot.Incidents.Timeline("INC-1");
        Assert.Single(timeline, e => e.Text.StartsWith("Could not reach alice: ", StringComparison.Ordinal));
        Assert.Single(timeline, e => e.Text.StartsWith("Could not reach carol: ", StringComparison.Ordinal));
        Assert.Single(Slack.CallsTo("conversations.open"), c => c.Arg("users") == "U0BOB");
        Assert.Equal(2, bot.Incidents.Find("INC-1")!.Escalation!.Level);
        Assert.Empty(Slack.Violations);
    }

    [Fact]
    public async Task AnAcknowledgedIncidentDoesNotEscalateWhenALatePageFailureArrives()
    {
        await Bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev1 Users cannot sign in"));
        await Slack.WhenCalledAsync("conversations.open");
        await Bot.SettleAsync();
        await Bot.CommandAsync(Payloads.SlashCommand("ack INC-1"));
        await Bot.SettleAsync();

        await Bot.Services.GetRequiredService<Core.Escalation.IPageFailures>().UndeliveredAsync("INC-1", "alice", "DM refused", CancellationToken.None);
        await Bot.SettleAsync();

        Assert.Equal(1, Bot.Incidents.Find("INC-1")!.Escalation!.Level);
        Assert.DoesNotContain(Bot.Incidents.Timeline("INC-1"), e => e.Text.StartsWith("Could not reach", StringComparison.Ordinal));
    }
}
