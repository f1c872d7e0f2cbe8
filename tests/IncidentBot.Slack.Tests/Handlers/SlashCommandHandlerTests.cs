using System.Net;
using IncidentBot.Slack.Tests.Support;

namespace IncidentBot.Slack.Tests.Handlers;

public sealed class SlashCommandHandlerTests : SlackHostTest
{
    [Fact]
    public async Task DeclareIsAcknowledgedWhileSlackIsStillCreatingTheChannel()
    {
        // conversations.create hangs (Slack taking 10 s) until the test has the acknowledgement in hand.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Slack.On("conversations.create", async _ =>
        {
            reached.TrySetResult();
            await release.Task;
            return null;
        });

        var ack = await Bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev1 Users cannot sign in", responseUrl: Hook()));

        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        Assert.Contains("Declaring INC-1", await ack.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await reached.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(release.Task.IsCompleted);
        Assert.Empty(Slack.CallsTo("conversations.create")); // the call is still in flight: the ack did not wait for it

        release.SetResult();
        await Slack.WhenCalledAsync("pins.add");
        Assert.Empty(Slack.Violations);
    }

    [Fact]
    public async Task WhenSlackRefusesTheChannelTheIncidentStaysInTheDeclaringChannelAndTheUserIsToldWhy()
    {
        Slack.Refuse("conversations.create", "restricted_action");

        await Bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev2 Login slow", channelId: "C111", responseUrl: Hook()));
        var pin = await Slack.WhenCalledAsync("pins.add");
        await Bot.SettleAsync();

        // Told once, and only that: the paging DM and step 1's check went through, so nothing else reached the user.
        var told = Assert.Single(Slack.Responses).Body["text"]!.ToString();
        Assert.Contains("Slack refused conversations.create: restricted_action", told, StringComparison.Ordinal);
        Assert.Contains("INC-1 stays in this channel", told, StringComparison.Ordinal);
        Assert.Equal("C111", pin.Arg("channel"));
        var room = Bot.Incidents.Find("INC-1")!.RoomOn("slack")!;
        Assert.Equal("C111", room.ChannelId);

        // It still works there: a command in that channel finds it and the card there is updated in place.
        var beforeAck = Slack.Calls.Count;
        await Bot.CommandAsync(Payloads.SlashCommand("ack", channelId: "C111", userId: "U0ALICE"));
        await Bot.SettleAsync();
        var cardUpdates = Slack.Calls.Skip(beforeAck).Where(c => c.Method == "chat.update").ToList();
        Assert.NotEmpty(cardUpdates);
        Assert.All(cardUpdates, c => Assert.Equal(("C111", room.CardMessageId), (c.Arg("channel"), c.Arg("ts"))));
        Assert.Contains("Investigating", cardUpdates[^1].Arg("blocks"), StringComparison.Ordinal);
        Assert.Empty(Slack.Violations);
    }

    [Fact]
    public async Task ATakenChannelNameIsMadeUnique()
    {
        var first = true;
        Slack.On("conversations.create", _ =>
        {
            var taken = first;
            first = false;
            return Task.FromResult<Microsoft.AspNetCore.Http.IResult?>(taken ? Microsoft.AspNetCore.Http.Results.Json(new { ok = false, error = "name_taken" }) : null);
        });

        await Bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev2 Users cannot sign in"));
        await Slack.WhenCalledAsync("pins.add");

        Assert.Equal(
            ["inc-20261128-users-cannot-sign-in", "inc-20261128-users-cannot-sign-in-2"],
            Slack.CallsTo("conversations.create").Select(c => c.Arg("name")));
    }

    [Fact]
    public async Task AnErrorAfterTheAcknowledgementIsReportedToTheUserInSlack()
    {
        Slack.Refuse("conversations.invite", "not_in_channel");

        await Bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev2 Users cannot sign in", responseUrl: Hook()));
        await Slack.WhenCalledAsync("pins.add");
        await Bot.DrainAsync();

        Assert.Contains(Slack.Responses, r => r.Body["text"]!.ToString().Contains("Slack refused conversations.invite: not_in_channel", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutAResponseUrlTheErrorGoesToTheUserAsAnEphemeralMessage()
    {
        Slack.Refuse("conversations.create", "missing_scope");
        var body = Payloads.SlashCommand("declare auth-outage sev2 Users cannot sign in", userId: "U0BOB").Replace("response_url=", "ignored=", StringComparison.Ordinal);

        await Bot.CommandAsync(body);
        var ephemeral = await Slack.WhenCalledAsync("chat.postEphemeral");

        Assert.Equal("U0BOB", ephemeral.Arg("user"));
        Assert.Contains("Slack refused conversations.create: missing_scope", ephemeral.Arg("text"), StringComparison.Ordinal);
    }

    private string Hook() => $"{Slack.BaseUrl}/hooks/commands/T111/1";
}
