using IncidentBot.Slack.Tests.Support;

namespace IncidentBot.Slack.Tests.Outbound;

/// <summary>Issue 13: Slack work runs in one lane per incident, so one slow call can't stall every other incident.</summary>
public sealed class SlowChannelTests : SlackHostTest
{
    [Fact]
    public async Task ASlackCallHangingInOneIncidentsChannelDoesNotHoldUpAnotherIncidentsChannelAndPage()
    {
        await Bot.CommandAsync(Payloads.SlashCommand("declare performance sev3 Slow dashboard"));
        var first = (await Slack.WhenCalledAsync("conversations.create")).Answer!["channel"]!["id"]!.ToString();
        await Slack.WhenCalledAsync("pins.add");
        await Bot.SettleAsync();

        int InFirst() => Slack.CallsTo("chat.postMessage").Concat(Slack.CallsTo("chat.update")).Count(c => c.Arg("channel") == first);
        var before = InFirst();

        // From now on Slack holds every post and update in INC-1's channel until the test lets go.
        var held = new TaskCompletionSource();
        Slack.On("chat.postMessage", async call => { if (call.Arg("channel") == first) { await held.Task; } return null; });
        Slack.On("chat.update", async call => { if (call.Arg("channel") == first) { await held.Task; } return null; });
        await Bot.CommandAsync(Payloads.SlashCommand("sev INC-1 2", channelId: first));

        // INC-2 is declared, gets its channel and pinned card, and its on-call is paged by DM while INC-1's call hangs.
        await Bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev1 Users cannot sign in"));
        await Slack.WhenCalledAsync("pins.add", 2);
        var open = await Slack.WhenCalledAsync("conversations.open");
        var dm = (string)open.Answer!["channel"]!["id"]!;
        await Slack.WhenAsync(e => e.CallsTo("chat.postMessage").Any(c => c.Arg("channel") == dm), "INC-2's page by DM");
        Assert.Equal(before, InFirst());

        // INC-1's lane then goes on, in order.
        held.SetResult();
        await Bot.SettleAsync();
        Assert.True(InFirst() > before);
        Assert.Empty(Slack.Violations);
    }
}
