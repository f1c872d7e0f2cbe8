using System.Net;
using System.Text.Json.Nodes;
using IncidentBot.Slack.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Slack.Tests.Handlers;

public sealed class BlockActionsHandlerTests : SlackHostTest
{
    [Fact]
    public async Task ARefusedPressIsExplainedToThePresserAndTheCardKeepsItsButtons()
    {
        var (stepCard, blocks, done, ts) = await DeclaredStepCardAsync();

        // Not acknowledged yet: the runbook can't move.
        var response = await Bot.InteractionAsync(Payloads.BlockAction(done, stepCard.Arg("channel")!, ts, blocks, "U0BOB", $"{Slack.BaseUrl}/hooks/actions/1"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Bot.DrainAsync();

        var told = Assert.Single(Slack.Responses).Body;
        Assert.Contains("acknowledge it", told["text"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal("ephemeral", (string?)told["response_type"]);
        Assert.DoesNotContain(Slack.CallsTo("chat.update"), c => c.Arg("ts") == ts);
    }

    [Fact]
    public async Task AStaleButtonPressedAgainAndAgainIsExplainedOnceAWhilePerPerson()
    {
        var (stepCard, blocks, done, ts) = await DeclaredStepCardAsync();
        async Task PressAsync(string user, int n)
        {
            var response = await Bot.InteractionAsync(Payloads.BlockAction(done, stepCard.Arg("channel")!, ts, blocks, user, $"{Slack.BaseUrl}/hooks/actions/{n}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await Bot.DrainAsync();
        }

        // Bob presses Done on a step of an incident nobody has acknowledged, five times in a row.
        for (var n = 1; n <= 5; n++)
        {
            await PressAsync("U0BOB", n);
        }

        Assert.Single(Slack.Responses);
        await PressAsync("U0ALICE", 6); // someone else is told
        Assert.Equal(2, Slack.Responses.Count);

        Bot.Time.Advance(IncidentBot.Slack.Handlers.PressOutcome.RepeatWindow);
        await PressAsync("U0BOB", 7); // and bob again, a while later
        Assert.Equal(3, Slack.Responses.Count);
        Assert.All(Slack.Responses, r => Assert.Contains("acknowledge it", r.Body["text"]!.ToString(), StringComparison.Ordinal));
        Assert.Single(Bot.Incidents.List(openOnly: true));
    }

    /// <summary>An incident declared and not acknowledged: its first step card, the card's blocks, its Done button and its ts.</summary>
    private async Task<(SlackCall Card, JsonArray Blocks, JsonObject Done, string Ts)> DeclaredStepCardAsync()
    {
        await Bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev1 Users cannot sign in"));
        await Slack.WhenCalledAsync("pins.add");
        await Bot.DrainAsync();
        var stepCard = Slack.CallsTo("chat.postMessage").Last(c => c.Arg("blocks")!.Contains("\"Done\"", StringComparison.Ordinal));
        var blocks = (JsonArray)JsonNode.Parse(stepCard.Arg("blocks")!)!;
        var done = blocks.OfType<JsonObject>().Single(b => (string?)b["type"] == "actions")["elements"]![0]!.AsObject();
        return (stepCard, blocks, done, (string)stepCard.Answer!["ts"]!);
    }

    [Fact]
    public async Task AButtonThatIsNotOursIsAnsweredPolitely()
    {
        var payload = Payloads.Json("http__block_actions_payload.bolt-python.json");
        payload["response_url"] = $"{Slack.BaseUrl}/hooks/actions/2";

        var response = await Bot.InteractionAsync(payload);
        await Bot.DrainAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("not one of IncidentBot's", Assert.Single(Slack.Responses).Body["text"]!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Approve", "Approved")]
    [InlineData("Deny", "Denied")]
    [InlineData("Done", "Done")]
    [InlineData("Skip", "Skipped")]
    [InlineData("Clerk outage", "Clerk outage: chosen")]
    public void APressedButtonReadsAsItsOutcome(string label, string outcome)
    {
        Assert.Equal(outcome, IncidentBot.Slack.Handlers.PressOutcome.Pressed(label));
    }

    [Theory]
    [InlineData("step INC-1 skip", true)] // what the step card's Skip button runs
    [InlineData("step skip", true)]
    [InlineData("step INC-1 skip Status page is green", false)]
    [InlineData("step INC-1 done", false)]
    public void OnlyASkipWithoutAReasonOpensTheModal(string command, bool opens)
    {
        Assert.Equal(opens, IncidentBot.Slack.Handlers.SkipModal.Applies(new Core.Messaging.ButtonAction("INC-1", "step:confirm-outage", command)));
    }

    [Fact]
    public async Task SkipAsksForAReasonInAModalAndItsSubmissionSkipsTheStep()
    {
        await Bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev1 Users cannot sign in"));
        var channel = (await Slack.WhenCalledAsync("pins.add")).Arg("channel")!;
        await Bot.DrainAsync(); // the channel is on the incident
        await Bot.CommandAsync(Payloads.SlashCommand("ack", channelId: channel, userId: "U0BOB"));
        await Bot.SettleAsync(); // step 1's check has run and posted its result

        // The step card, found by what it says: the paging post (with its Acknowledge button) and the check result come after it now.
        var stepCard = Assert.Single(Slack.CallsTo("chat.postMessage"), c => c.Arg("channel") == channel && c.Arg("text")!.StartsWith("INC-1 · Step 1 of 11", StringComparison.Ordinal));
        Assert.Contains("\"Skip\"", stepCard.Arg("blocks"), StringComparison.Ordinal);
        var blocks = (JsonArray)JsonNode.Parse(stepCard.Arg("blocks")!)!;
        var skip = blocks.OfType<JsonObject>().Single(b => (string?)b["type"] == "actions")["elements"]!.AsArray()
            .OfType<JsonObject>().Single(e => (string?)e["text"]!["text"] == "Skip");
        var ts = (string)stepCard.Answer!["ts"]!;

        var press = Payloads.BlockAction(skip, channel, ts, blocks, "U0BOB", $"{Slack.BaseUrl}/hooks/actions/3");
        Assert.Equal(HttpStatusCode.OK, (await Bot.InteractionAsync(press)).StatusCode);
        var open = await Slack.WhenCalledAsync("views.open");
        Assert.Equal((string?)press["trigger_id"], open.Arg("trigger_id"));
        var view = open.Args["view"]!.AsObject();

        var submission = Payloads.Json("http__view_submission_payload.bolt-python.json");
        submission["user"]!["id"] = "U0BOB";
        submission["view"]!["callback_id"] = (string?)view["callback_id"];
        submission["view"]!["private_metadata"] = (string?)view["private_metadata"];
        submission["view"]!["state"] = new JsonObject { ["values"] = new JsonObject { ["reason"] = new JsonObject { ["reason"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = " " } } } };
        var empty = JsonNode.Parse(await (await Bot.InteractionAsync(submission)).Content.ReadAsStringAsync())!;
        Assert.Equal("errors", (string?)empty["response_action"]);

        submission["view"]!["state"]!["values"]!["reason"]!["reason"]!["value"] = "Status page is green";
        var closed = await Bot.InteractionAsync(submission);
        Assert.True(closed.StatusCode == HttpStatusCode.OK, $"{closed.StatusCode}: {await closed.Content.ReadAsStringAsync()} {string.Join("\n", Bot.Log.Lines.TakeLast(5))}");
        Assert.Equal("", await closed.Content.ReadAsStringAsync()); // an empty 200 closes the modal
        await Bot.DrainAsync();

        var step = Assert.Single(Bot.Incidents.Find("INC-1")!.Steps);
        Assert.Equal(Core.Incidents.StepOutcome.Skipped, step.Outcome);
        Assert.Equal("Status page is green", step.Reason);
        Assert.Contains("Skipped by <@U0BOB> at 03:10 UTC", Assert.Single(Slack.CallsTo("chat.update"), c => c.Arg("ts") == ts).Arg("blocks"), StringComparison.Ordinal);
        Assert.Empty(Slack.Violations);
    }

    [Theory]
    [InlineData(10, true)]
    [InlineData(2900, false)] // too big for Slack's 3000-character private_metadata: the press remembers it instead
    public void TheSkipModalCarriesThePressedCardWithoutItsButtonsWhenItFits(int textLength, bool carried)
    {
        var card = new JsonArray(
            new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = new string('x', textLength) } },
            new JsonObject { ["type"] = "actions", ["elements"] = new JsonArray() });
        var action = new Core.Messaging.ButtonAction("INC-1", "step:confirm-outage", "step INC-1 skip");

        var view = IncidentBot.Slack.Handlers.SkipModal.View(action, "C1", "1.2", "Skip", card);

        var metadata = (string)view["private_metadata"]!;
        Assert.True(metadata.Length <= IncidentBot.Slack.Handlers.SkipModal.MaxMetadata);
        Assert.Equal(carried, IncidentBot.Slack.Handlers.SkipModal.CarriesCard(view));
        Assert.DoesNotContain("actions", metadata, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASkipReasonSubmittedAfterARestartStillTurnsTheWholeCardIntoItsOutcome()
    {
        await Bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev1 Users cannot sign in"));
        var channel = (await Slack.WhenCalledAsync("pins.add")).Arg("channel")!;
        await Bot.DrainAsync();
        await Bot.CommandAsync(Payloads.SlashCommand("ack", channelId: channel, userId: "U0BOB"));
        await Bot.SettleAsync();
        var stepCard = Assert.Single(Slack.CallsTo("chat.postMessage"), c => c.Arg("channel") == channel && c.Arg("text")!.StartsWith("INC-1 · Step 1 of 11", StringComparison.Ordinal));
        var blocks = (JsonArray)JsonNode.Parse(stepCard.Arg("blocks")!)!;
        var skip = blocks.OfType<JsonObject>().Single(b => (string?)b["type"] == "actions")["elements"]!.AsArray()
            .OfType<JsonObject>().Single(e => (string?)e["text"]!["text"] == "Skip");
        var ts = (string)stepCard.Answer!["ts"]!;
        await Bot.InteractionAsync(Payloads.BlockAction(skip, channel, ts, blocks, "U0BOB", $"{Slack.BaseUrl}/hooks/actions/4"));
        var view = (await Slack.WhenCalledAsync("views.open")).Args["view"]!.AsObject();
        Assert.True(((string)view["private_metadata"]!).Length <= IncidentBot.Slack.Handlers.SkipModal.MaxMetadata);

        // The bot restarts while the modal is open: nothing it kept in memory about the press survives.
        Bot.Services.GetRequiredService<IncidentBot.Slack.Handlers.PressOutcome>().Recall(channel, ts);

        var submission = Payloads.Json("http__view_submission_payload.bolt-python.json");
        submission["user"]!["id"] = "U0BOB";
        submission["view"]!["callback_id"] = (string?)view["callback_id"];
        submission["view"]!["private_metadata"] = (string?)view["private_metadata"];
        submission["view"]!["state"] = new JsonObject { ["values"] = new JsonObject { ["reason"] = new JsonObject { ["reason"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = "Status page is green" } } } };
        await Bot.InteractionAsync(submission);
        await Bot.DrainAsync();

        var updated = (JsonArray)JsonNode.Parse(Assert.Single(Slack.CallsTo("chat.update"), c => c.Arg("ts") == ts).Arg("blocks")!)!;
        var kept = blocks.OfType<JsonObject>().Where(b => (string?)b["type"] != "actions").Select(b => b["text"]?.ToJsonString() ?? b["elements"]?.ToJsonString());
        Assert.Equal(kept, updated.OfType<JsonObject>().SkipLast(1).Select(b => b["text"]?.ToJsonString() ?? b["elements"]?.ToJsonString()));
        Assert.Equal("Skipped by <@U0BOB> at 03:10 UTC", (string?)updated.Last()!["elements"]![0]!["text"]);
        Assert.DoesNotContain(updated, b => (string?)b!["type"] == "actions");
        Assert.Empty(Slack.Violations);
    }
}
