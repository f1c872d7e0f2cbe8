using IncidentBot.Core.Messaging;
using IncidentBot.Core.Timeline;
using IncidentBot.Teams.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Teams.Tests.Bridge;

/// <summary>
/// Issue 13: when Teams keeps refusing the bot's messages to an incident's conversation, the timeline says so once when
/// it starts (the Connector's answer) and once with the count when a message gets through again; the failure is said in
/// the conversation once, not after every message.
/// </summary>
public sealed class RoomDeliveryFailureTests : TeamsHostTest
{
    [Fact]
    public async Task AConversationTeamsKeepsRefusingIsOneTimelineLineWhenItStartsAndOneWithTheCountWhenItRecovers()
    {
        await Bot.PostAsync(Incoming.Personal(Connector, "declare webhook-failure sev2 Users missing in our database", Some.Alice));
        await Bot.SettleAsync();
        var room = Bot.Incidents.Find("INC-1")!.RoomOn("teams")!;
        var progress = Bot.Services.GetRequiredService<IRoomProgress>();
        var sentBefore = Connector.CallsTo("Conversations_SendToConversation").Count();

        // The bot was removed from the conversation: every card update and post answers 403, for two notes (the card and
        // the note each time, and the one warning about it).
        Connector.FailNext("Conversations_UpdateActivity", (403, null), (403, null));
        Connector.FailNext("Conversations_SendToConversation", (403, null), (403, null), (403, null));
        await progress.NoteAsync("INC-1", "cache cluster rebooted", CancellationToken.None);
        await Bot.DrainAsync();
        Bot.Time.Advance(TimeSpan.FromMinutes(2));
        await progress.NoteAsync("INC-1", "replica lag at 40 s", CancellationToken.None);
        await Bot.DrainAsync();

        var started = Assert.Single(Bot.Incidents.Timeline("INC-1"), e => e.Kind == EntryKind.Delivery);
        Assert.StartsWith("Teams is not delivering IncidentBot's messages to ", started.Text, StringComparison.Ordinal);
        Assert.Contains(room.ChannelId, started.Text, StringComparison.Ordinal);
        Assert.Contains("HTTP 403", started.Text, StringComparison.Ordinal);
        var sent = Connector.CallsTo("Conversations_SendToConversation").Skip(sentBefore).ToList();
        Assert.Single(sent, c => c.Said.Contains("IncidentBot could not deliver a message here", StringComparison.Ordinal)); // tried once, not per message

        // The conversation works again: the next note gets through and the timeline has the count.
        Bot.Time.Advance(TimeSpan.FromMinutes(1));
        await progress.NoteAsync("INC-1", "lag back to zero", CancellationToken.None);
        await Bot.DrainAsync();

        var lines = Bot.Incidents.Timeline("INC-1").Where(e => e.Kind == EntryKind.Delivery).ToList();
        Assert.Equal(2, lines.Count);
        Assert.StartsWith("4 messages to ", lines[1].Text, StringComparison.Ordinal); // two card updates and two notes
        Assert.Contains("could not be delivered between 03:10:00 UTC and 03:12:00 UTC", lines[1].Text, StringComparison.Ordinal);
        Assert.Contains("HTTP 403", lines[1].Text, StringComparison.Ordinal);
        Assert.Contains(Connector.CallsTo("Conversations_SendToConversation"), c => c.ConversationId == room.ChannelId && c.Said.Contains("4 messages to ", StringComparison.Ordinal));
        Assert.Contains(Bot.Incidents.Timeline("INC-1"), e => e.Text == "replica lag at 40 s"); // nothing recorded was lost
        Assert.DoesNotContain(Bot.Incidents.Timeline("INC-1"), e => e.Text.Contains(Some.AppPassword, StringComparison.Ordinal));
    }
}
