using System.Text.Json.Nodes;
using IncidentBot.Teams.Storage;
using IncidentBot.Teams.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Teams.Tests.Inbound;

/// <summary>
/// Added to a team, the bot fetches who is in it (GET pagedmembers, every page), so someone who never wrote to it and
/// never installed it for themselves is paged in a 1:1 chat the bot opens.
/// </summary>
public sealed class TeamMembersTests : TeamsHostTest
{
    [Fact]
    public async Task SomeoneInTheTeamTheBotWasAddedToIsPagedWithoutEverHavingWritten()
    {
        Connector.Members.Enqueue(Incoming.For(Some.Alice));
        Connector.Members.Enqueue(new JsonObject { ["id"] = "28:another-bot", ["name"] = "Another bot" });
        Connector.Members.Enqueue(Incoming.For(Some.Bob));

        var added = Incoming.AddedToTeam(Connector, Some.Alice);
        await Bot.PostAsync(added);
        await Bot.DrainAsync();

        var pages = Connector.CallsTo("Conversations_GetConversationPagedMembers").ToList();
        Assert.Equal(3, pages.Count);
        Assert.All(pages, p => Assert.Equal((string?)added["channelData"]!["team"]!["id"], p.ConversationId)); // the team, not its channel
        Assert.Equal([null, "1", "2"], pages.Select(p => p.Query("continuationToken")));

        // A sev1 nobody acknowledges: after 15 minutes bob, the engineering lead, is paged in a chat the bot opens.
        await Bot.PostAsync(Incoming.ChannelMention(Connector, "declare auth-outage sev1 Users cannot sign in", Some.Alice));
        await Bot.SettleAsync();
        Bot.Time.Advance(TimeSpan.FromMinutes(15));
        await Connector.WhenAsync(c => c.CallsTo("Conversations_SendToConversation").Any(p => p.ConversationId == "a:dm-bob-mri"), "bob's page");

        var opened = Assert.Single(Connector.CallsTo("Conversations_CreateConversation"), c => (string?)c.Body!["members"]?[0]?["id"] == Some.Bob.Mri);
        Assert.Equal(Some.TenantId, (string?)opened.Body!["tenantId"]);
        Assert.Contains("You are paged for INC-1", Connector.CallsTo("Conversations_SendToConversation").Single(p => p.ConversationId == "a:dm-bob-mri").Said, StringComparison.Ordinal);
        Assert.DoesNotContain(Bot.Incidents.Timeline("INC-1"), e => e.Text.Contains("Could not reach bob", StringComparison.Ordinal));
        Assert.Empty(Connector.Violations);
    }

    [Fact]
    public async Task RemovingTheAppFromATeamForgetsItsChannel()
    {
        await Bot.PostAsync(Incoming.AddedToTeam(Connector, Some.Alice));
        var store = Bot.Services.GetRequiredService<TeamsStore>();
        Assert.NotNull(store.Conversation(Some.Channel));

        var removed = Incoming.AddedToTeam(Connector, Some.Alice);
        removed["type"] = "installationUpdate";
        removed["action"] = "remove";
        removed.Remove("membersAdded");
        await Bot.PostAsync(removed);

        Assert.Null(store.Conversation(Some.Channel));
    }
}
