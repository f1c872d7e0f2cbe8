using IncidentBot.Core.Commands;
using IncidentBot.Core.People;
using IncidentBot.Teams.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Teams.Tests;

/// <summary>
/// Teams adds nothing to Core and loses nothing: the same incident driven from Teams (mentions, an Action.Execute
/// press) and straight through Core's command router writes the same timeline, entry for entry.
/// </summary>
public sealed class SameTimelineTests : TeamsHostTest
{
    [Fact]
    public async Task AnIncidentFromTeamsHasTheTimelineOfTheSameIncidentDrivenThroughCore()
    {
        // Through Teams: INC-1.
        await Bot.PostAsync(Incoming.AddedToTeam(Connector, Some.Alice));
        await Bot.PostAsync(Incoming.ChannelMention(Connector, "declare auth-outage sev2 Users cannot sign in", Some.Alice));
        await Bot.SettleAsync();
        var thread = Bot.Incidents.Find("INC-1")!.RoomOn("teams")!.ChannelId;
        await Bot.PostAsync(Incoming.ChannelMention(Connector, "ack", Some.Bob, thread));
        await Bot.SettleAsync();
        var step = Connector.CallsTo("Conversations_SendToConversation").Last(c => c.ConversationId == thread && c.Said.Contains("\"Done\"", StringComparison.Ordinal));
        var done = step.Card!["body"]!.AsArray().OfType<System.Text.Json.Nodes.JsonObject>().Single(e => (string?)e["type"] == "ActionSet")["actions"]!.AsArray()
            .OfType<System.Text.Json.Nodes.JsonObject>().Single(a => (string?)a["title"] == "Done");
        await Bot.PostAsync(Incoming.Execute(Connector, done, thread, step.NewId!, Some.Bob));
        await Bot.SettleAsync();
        await Bot.PostAsync(Incoming.ChannelMention(Connector, "note root-cause: an expired secret key", Some.Bob, thread));
        await Bot.PostAsync(Incoming.ChannelMention(Connector, "resolve", Some.Bob, thread));
        await Bot.SettleAsync();

        // Straight through Core, as another platform would: INC-2.
        var router = Bot.Services.GetRequiredService<CommandRouter>();
        var alice = new CommandContext(new Actor("alice", Some.Alice.Aad), "core", "C-core");
        var bob = alice with { Actor = new Actor("bob", Some.Bob.Aad) };
        await router.HandleAsync(alice, "/incident declare auth-outage sev2 Users cannot sign in", CancellationToken.None);
        await Bot.SettleAsync();
        await router.HandleAsync(bob, "/incident ack INC-2", CancellationToken.None);
        await Bot.SettleAsync();
        await router.PressAsync(bob, Core.Messaging.ButtonAction.Decode((string?)done["data"]!["incidentbot"])! with { IncidentId = "INC-2", Command = "step INC-2 done" }, CancellationToken.None);
        await Bot.SettleAsync();
        await router.HandleAsync(bob, "/incident note INC-2 root-cause: an expired secret key", CancellationToken.None);
        await router.HandleAsync(bob, "/incident resolve INC-2", CancellationToken.None);
        await Bot.SettleAsync();

        Assert.Equal(Lines("INC-2"), Lines("INC-1"));
        Assert.True(Lines("INC-1").Count >= 6, string.Join("\n", Lines("INC-1")));
        Assert.Empty(Connector.Violations);
    }

    /// <summary>Kind, actor and text of each entry, with the incident's own id written INC-n.</summary>
    private List<string> Lines(string id) =>
        Bot.Incidents.Timeline(id).Select(e => $"{e.Kind} | {e.Actor} | {e.Text.Replace(id, "INC-n", StringComparison.Ordinal)}").ToList();
}
