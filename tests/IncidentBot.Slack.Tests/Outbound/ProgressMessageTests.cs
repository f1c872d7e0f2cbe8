using IncidentBot.Core.Messaging;
using IncidentBot.Slack.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Slack.Tests.Outbound;

/// <summary>A running action's progress (<see cref="IRoomProgress"/>) is one Slack message in the incident's channel, edited with chat.update.</summary>
public sealed class ProgressMessageTests : SlackHostTest
{
    [Fact]
    public async Task ProgressIsPostedOnceThenUpdatedInPlaceAndTheCardIsLeftAlone()
    {
        await Bot.CommandAsync(Payloads.SlashCommand("declare webhook-failure sev2 Users missing in our database"));
        var channel = (await Slack.WhenCalledAsync("conversations.create")).Answer!["channel"]!["id"]!.ToString();
        await Bot.SettleAsync();
        var updatesBefore = Slack.CallsTo("chat.update").Count();
        var progress = Bot.Services.GetRequiredService<IRoomProgress>();

        foreach (var text in new[] { "500 of 1,200 users; 0 failed", "1,000 of 1,200 users; 2 failed", "1,200 of 1,200 users; 3 failed" })
        {
            await progress.ShowAsync("INC-1", "sync.resync:A1", new ChatMessage { Header = "A1 resync progress", Text = text }, CancellationToken.None);
        }

        await progress.ShowAsync("INC-1", "sync.resync:A2", ChatMessage.Plain("7 of 7 users; 0 failed"), CancellationToken.None);
        await Bot.DrainAsync();

        var posted = Assert.Single(Slack.CallsTo("chat.postMessage"), c => c.Arg("channel") == channel && c.Arg("text")!.Contains("of 1,200 users", StringComparison.Ordinal));
        Assert.Contains("500 of 1,200 users; 0 failed", posted.Arg("text"), StringComparison.Ordinal);
        var ts = posted.Answer!["ts"]!.ToString();
        var updates = Slack.CallsTo("chat.update").Skip(updatesBefore).ToList();
        Assert.Equal(2, updates.Count); // the two later figures, and no refresh of the pinned card
        Assert.All(updates, u => Assert.Equal(ts, u.Arg("ts")));
        Assert.All(updates, u => Assert.Equal(channel, u.Arg("channel")));
        Assert.Contains("1,200 of 1,200 users; 3 failed", updates[^1].Arg("text"), StringComparison.Ordinal);
        Assert.Single(Slack.CallsTo("chat.postMessage"), c => c.Arg("text")!.Contains("7 of 7 users", StringComparison.Ordinal)); // another key, another message
        Assert.Empty(Slack.Violations);
    }
}
