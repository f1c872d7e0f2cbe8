using System.Net;
using System.Text.Json.Nodes;
using IncidentBot.Slack.Tests.Support;

namespace IncidentBot.Slack.Tests.Handlers;

public sealed class BlockActionsHandlerTests : IAsyncLifetime
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
    public async Task ARefusedPressIsExplainedToThePresserAndTheCardKeepsItsButtons()
    {
        await _bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev1 Users cannot sign in"));
        await _slack.WhenCalledAsync("pins.add");
        await _bot.DrainAsync();
        var stepCard = _slack.CallsTo("chat.postMessage").Last(c => c.Arg("blocks")!.Contains("\"Done\"", StringComparison.Ordinal));
        var blocks = (JsonArray)JsonNode.Parse(stepCard.Arg("blocks")!)!;
        var done = blocks.OfType<JsonObject>().Single(b => (string?)b["type"] == "actions")["elements"]![0]!.AsObject();
        var ts = (string)stepCard.Answer!["ts"]!;

        // Not acknowledged yet: the runbook can't move.
        var response = await _bot.InteractionAsync(Payloads.BlockAction(done, stepCard.Arg("channel")!, ts, blocks, "U0BOB", $"{_slack.BaseUrl}/hooks/actions/1"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await _bot.DrainAsync();

        var told = Assert.Single(_slack.Responses).Body;
        Assert.Contains("acknowledge it", told["text"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal("ephemeral", (string?)told["response_type"]);
        Assert.DoesNotContain(_slack.CallsTo("chat.update"), c => c.Arg("ts") == ts);
    }

    [Fact]
    public async Task AButtonThatIsNotOursIsAnsweredPolitely()
    {
        var payload = Payloads.Json("http__block_actions_payload.bolt-python.json");
        payload["response_url"] = $"{_slack.BaseUrl}/hooks/actions/2";

        var response = await _bot.InteractionAsync(payload);
        await _bot.DrainAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("not one of IncidentBot's", Assert.Single(_slack.Responses).Body["text"]!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Approve", "Approved")]
    [InlineData("Deny", "Denied")]
    [InlineData("Done", "Done")]
    [InlineData("Skip", "Skipped")]
    [InlineData("Clerk outage", "Clerk outage: chosen")]
    public void APressedButtonReadsAsItsOutcome(string label, string outcome)
    {
        Assert.Equal(outcome, IncidentBot.Slack.Handlers.BlockActionsHandler.Pressed(label));
    }
}
