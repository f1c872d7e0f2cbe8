using IncidentBot.Core.Messaging;
using IncidentBot.Teams.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Teams.Tests.Bridge;

/// <summary>A running action's progress (<see cref="IRoomProgress"/>) is one Teams message in the incident's thread, edited with PUT.</summary>
public sealed class ProgressMessageTests : TeamsHostTest
{
    [Fact]
    public async Task ProgressIsSentOnceThenUpdatedInPlaceAndTheCardIsLeftAlone()
    {
        await Bot.PostAsync(Incoming.Personal(Connector, "declare webhook-failure sev2 Users missing in our database", Some.Alice));
        await Bot.SettleAsync();
        var room = Bot.Incidents.Find("INC-1")!.RoomOn("teams")!;
        var updatesBefore = Connector.CallsTo("Conversations_UpdateActivity").Count();
        var progress = Bot.Services.GetRequiredService<IRoomProgress>();

        foreach (var text in new[] { "500 of 1,200 users; 0 failed", "1,000 of 1,200 users; 2 failed", "1,200 of 1,200 users; 3 failed" })
        {
            await progress.ShowAsync("INC-1", "sync.resync:A1", new ChatMessage { Header = "A1 resync progress", Text = text }, CancellationToken.None);
        }

        await progress.ShowAsync("INC-1", "sync.resync:A2", ChatMessage.Plain("7 of 7 users; 0 failed"), CancellationToken.None);
        await Bot.DrainAsync();

        var sent = Assert.Single(Connector.CallsTo("Conversations_SendToConversation"), c => c.Said.Contains("of 1,200 users", StringComparison.Ordinal));
        Assert.Equal(room.ChannelId, sent.ConversationId);
        Assert.Contains("500 of 1,200 users; 0 failed", sent.Said, StringComparison.Ordinal);
        var updates = Connector.CallsTo("Conversations_UpdateActivity").Skip(updatesBefore).ToList();
        Assert.Equal(2, updates.Count); // the two later figures, and no refresh of the incident card
        Assert.All(updates, u => Assert.Equal(sent.NewId, u.ActivityId));
        Assert.All(updates, u => Assert.Equal(room.ChannelId, u.ConversationId));
        Assert.Contains("1,200 of 1,200 users; 3 failed", updates[^1].Said, StringComparison.Ordinal);
        Assert.Single(Connector.CallsTo("Conversations_SendToConversation"), c => c.Said.Contains("7 of 7 users", StringComparison.Ordinal)); // another key, another message
        Assert.Empty(Connector.Violations);
    }
}
