using System.Text.Json.Nodes;
using IncidentBot.Core.Approvals;
using IncidentBot.Slack.Tests.Support;

namespace IncidentBot.Slack.Tests.Inbound;

/// <summary>Issue 13, fail-open approval and borrowed names, through the real host: who presses is known by Slack user id only.</summary>
public sealed class ApprovalIdentityTests : IAsyncLifetime
{
    private SlackEmulator _slack = null!;
    private TestBot _bot = null!;

    public async Task InitializeAsync()
    {
        _slack = await SlackEmulator.StartAsync();
        _bot = await TestBot.StartAsync(_slack, new()
        {
            ["Hooks:pause-webhooks:Url"] = _slack.BaseUrl + "/hooks/pause-webhooks",

            // dave is on the roster but never paged, with no Slack or Teams id: empty strings, as a half-filled roster binds.
            ["Roster:People:3:Name"] = "dave",
            ["Roster:People:3:Role"] = "observer",
            ["Roster:People:3:SlackId"] = "",
            ["Roster:People:3:TeamsId"] = "",
        });
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task AnApprovePressWithAnEmptyUserIdIsNobodyAndRunsNothing()
    {
        var (channel, card) = await RequestHookAsync("U0ALICE", "alice");

        var response = await PressApproveAsync(channel, card, userId: "", userName: "dave");

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("user.id is missing or empty", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var request = _bot.Incidents.Find("INC-1")!.FindApproval("A1")!;
        Assert.Equal(ApprovalState.Pending, request.State);
        Assert.Empty(request.Decisions);
        Assert.DoesNotContain(_slack.Responses, r => r.Path == "pause-webhooks");
    }

    [Fact]
    public async Task SomeoneBorrowingARosterNameMayNotRequestIsRecordedByTheirIdAndTheRealPersonMayStillRequest()
    {
        await _bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev2 Webhooks are flooding us", userId: "U0ALICE"));
        var channel = (await _slack.WhenCalledAsync("pins.add")).Arg("channel")!;
        await _bot.DrainAsync();

        // Not on the roster (Approvals:RequesterRoles): refused before anything is asked, recorded by Slack id.
        await _bot.CommandAsync(Payloads.SlashCommand("hook pause-webhooks", channelId: channel, userId: "U0EVIL", userName: "bob"));
        await _bot.SettleAsync();
        Assert.Empty(_bot.Incidents.Find("INC-1")!.Approvals);
        Assert.Contains(_bot.Incidents.Timeline("INC-1"), e => e.Text.StartsWith("bob (U0EVIL) was refused `hook`", StringComparison.Ordinal));

        var (_, card) = await RequestHookAsync("U0BOB", "bob", declare: false, channel);
        await PressApproveAsync(channel, card, userId: "U0ALICE", userName: "alice");

        var request = _bot.Incidents.Find("INC-1")!.FindApproval("A1")!;
        Assert.Equal("bob", request.RequestedBy);
        Assert.Contains(_slack.Responses, r => r.Path == "pause-webhooks");
    }

    [Fact]
    public async Task SomeoneNotOnTheRosterIsRecordedByNameAndSlackId()
    {
        await _bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev2 Borrowed names", userId: "U0EVIL", userName: "bob"));
        await _slack.WhenCalledAsync("pins.add");
        await _bot.DrainAsync();

        Assert.Equal("bob (U0EVIL)", _bot.Incidents.Find("INC-1")!.Declarer);
    }

    private async Task<(string Channel, SlackCall Card)> RequestHookAsync(string userId, string userName, bool declare = true, string? inChannel = null)
    {
        var channel = inChannel ?? "";
        if (declare)
        {
            await _bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev2 Webhooks are flooding us", userId: "U0ALICE"));
            channel = (await _slack.WhenCalledAsync("pins.add")).Arg("channel")!;
            await _bot.DrainAsync();
        }

        await _bot.CommandAsync(Payloads.SlashCommand("hook pause-webhooks", channelId: channel, userId: userId, userName: userName));
        await _bot.SettleAsync();
        var card = _slack.CallsTo("chat.postMessage").Single(c => c.Arg("channel") == channel && c.Arg("text")!.Contains("Approval A1", StringComparison.Ordinal));
        return (channel, card);
    }

    private async Task<HttpResponseMessage> PressApproveAsync(string channel, SlackCall card, string userId, string userName)
    {
        var blocks = (JsonArray)JsonNode.Parse(card.Arg("blocks")!)!;
        var approve = blocks.OfType<JsonObject>().Single(b => (string?)b["type"] == "actions")["elements"]!.AsArray()
            .OfType<JsonObject>().Single(e => (string?)e["text"]!["text"] == "Approve");
        var payload = Payloads.BlockAction(approve, channel, (string)card.Answer!["ts"]!, blocks, userId, $"{_slack.BaseUrl}/hooks/actions/presser");
        payload["user"]!["name"] = userName;
        payload["user"]!["username"] = userName;
        var response = await _bot.InteractionAsync(payload);
        await _bot.SettleAsync();
        return response;
    }
}
