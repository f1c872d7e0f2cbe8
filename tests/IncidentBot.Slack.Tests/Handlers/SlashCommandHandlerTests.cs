using System.Net;
using IncidentBot.Slack.Tests.Support;

namespace IncidentBot.Slack.Tests.Handlers;

public sealed class SlashCommandHandlerTests : IAsyncLifetime
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
    public async Task DeclareIsAcknowledgedWhileSlackIsStillCreatingTheChannel()
    {
        // conversations.create hangs (Slack taking 10 s) until the test has the acknowledgement in hand.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _slack.On("conversations.create", async _ =>
        {
            reached.TrySetResult();
            await release.Task;
            return null;
        });

        var ack = await _bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev1 Users cannot sign in", responseUrl: Hook()));

        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        Assert.Contains("Declaring INC-1", await ack.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await reached.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(release.Task.IsCompleted);
        Assert.Empty(_slack.CallsTo("conversations.create")); // the call is still in flight: the ack did not wait for it

        release.SetResult();
        await _slack.WhenCalledAsync("pins.add");
        Assert.Empty(_slack.Violations);
    }

    [Fact]
    public async Task WhenSlackRefusesTheChannelTheIncidentStaysInTheDeclaringChannelAndTheUserIsToldWhy()
    {
        _slack.Refuse("conversations.create", "restricted_action");

        await _bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev2 Login slow", channelId: "C111", responseUrl: Hook()));
        var pin = await _slack.WhenCalledAsync("pins.add");
        await _bot.SettleAsync();

        // Told once, and only that: the paging DM and step 1's check went through, so nothing else reached the user.
        var told = Assert.Single(_slack.Responses).Body["text"]!.ToString();
        Assert.Contains("Slack refused conversations.create: restricted_action", told, StringComparison.Ordinal);
        Assert.Contains("INC-1 stays in this channel", told, StringComparison.Ordinal);
        Assert.Equal("C111", pin.Arg("channel"));
        var room = _bot.Incidents.Find("INC-1")!.RoomOn("slack")!;
        Assert.Equal("C111", room.ChannelId);

        // It still works there: a command in that channel finds it and the card there is updated in place.
        var beforeAck = _slack.Calls.Count;
        await _bot.CommandAsync(Payloads.SlashCommand("ack", channelId: "C111", userId: "U0ALICE"));
        await _bot.SettleAsync();
        var cardUpdates = _slack.Calls.Skip(beforeAck).Where(c => c.Method == "chat.update").ToList();
        Assert.NotEmpty(cardUpdates);
        Assert.All(cardUpdates, c => Assert.Equal(("C111", room.CardMessageId), (c.Arg("channel"), c.Arg("ts"))));
        Assert.Contains("Investigating", cardUpdates[^1].Arg("blocks"), StringComparison.Ordinal);
        Assert.Empty(_slack.Violations);
    }

    [Fact]
    public async Task ATakenChannelNameIsMadeUnique()
    {
        var first = true;
        _slack.On("conversations.create", _ =>
        {
            var taken = first;
            first = false;
            return Task.FromResult<Microsoft.AspNetCore.Http.IResult?>(taken ? Microsoft.AspNetCore.Http.Results.Json(new { ok = false, error = "name_taken" }) : null);
        });

        await _bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev2 Users cannot sign in"));
        await _slack.WhenCalledAsync("pins.add");

        Assert.Equal(
            ["inc-20261128-users-cannot-sign-in", "inc-20261128-users-cannot-sign-in-2"],
            _slack.CallsTo("conversations.create").Select(c => c.Arg("name")));
    }

    [Fact]
    public async Task AnErrorAfterTheAcknowledgementIsReportedToTheUserInSlack()
    {
        _slack.Refuse("conversations.invite", "not_in_channel");

        await _bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev2 Users cannot sign in", responseUrl: Hook()));
        await _slack.WhenCalledAsync("pins.add");
        await _bot.DrainAsync();

        Assert.Contains(_slack.Responses, r => r.Body["text"]!.ToString().Contains("Slack refused conversations.invite: not_in_channel", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutAResponseUrlTheErrorGoesToTheUserAsAnEphemeralMessage()
    {
        _slack.Refuse("conversations.create", "missing_scope");
        var body = Payloads.SlashCommand("declare auth-outage sev2 Users cannot sign in", userId: "U0BOB").Replace("response_url=", "ignored=", StringComparison.Ordinal);

        await _bot.CommandAsync(body);
        var ephemeral = await _slack.WhenCalledAsync("chat.postEphemeral");

        Assert.Equal("U0BOB", ephemeral.Arg("user"));
        Assert.Contains("Slack refused conversations.create: missing_scope", ephemeral.Arg("text"), StringComparison.Ordinal);
    }

    private string Hook() => $"{_slack.BaseUrl}/hooks/commands/T111/1";
}
