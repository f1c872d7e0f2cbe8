using System.Net;
using System.Text.Json.Nodes;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;
using IncidentBot.Teams.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Teams.Tests.Bridge;

/// <summary>Commands, presses and messages from Teams through the real host: what reaches Core and what Teams gets back.</summary>
public sealed class TeamsBridgeTests : TeamsHostTest
{
    [Fact]
    public async Task InA1To1ChatACommandNeedsNoMentionAndTheIncidentLivesInThatChat()
    {
        await Bot.PostAsync(Incoming.Personal(Connector, "declare security sev2 Leaked key", Some.Alice));
        await Bot.SettleAsync();

        var room = Bot.Incidents.Find("INC-1")!.RoomOn("teams")!;
        Assert.Equal(Incoming.PersonalChat(Some.Alice), room.ChannelId);
        Assert.DoesNotContain(Connector.CallsTo("Conversations_CreateConversation"), c => c.Body!["channelData"]?["channel"] is not null);
        var card = Connector.CallsTo("Conversations_SendToConversation").First(c => c.ConversationId == room.ChannelId);
        Assert.Equal(card.NewId, room.CardMessageId);
        Assert.Contains("INC-1 · Leaked key", card.Said, StringComparison.Ordinal);
        Assert.Empty(Connector.Violations);
    }

    [Fact]
    public async Task AnUnknownCommandIsAnsweredWithAUsageInTheSameThread()
    {
        var message = Incoming.ChannelMention(Connector, "declare nonsense", Some.Alice);

        await Bot.PostAsync(message);

        var reply = await Connector.WhenCalledAsync("Conversations_ReplyToActivity");
        Assert.Equal((string?)message["conversation"]!["id"], reply.ConversationId);
        Assert.Equal((string?)message["id"], reply.ActivityId);
        Assert.Contains("Usage", reply.Said, StringComparison.Ordinal);
        Assert.Empty(Bot.Incidents.List(openOnly: false));
        Assert.Empty(Connector.Violations);
    }

    [Fact]
    public async Task ActionSubmitPressesWorkLikeActionExecuteAndEditTheCard()
    {
        var thread = await DeclareAsync();
        var step = Connector.CallsTo("Conversations_SendToConversation").Last(c => c.ConversationId == thread && c.Said.Contains("\"Done\"", StringComparison.Ordinal));
        var done = Action(step, "Done");

        var response = await Bot.PostAsync(Incoming.Submit(Connector, done, thread, step.NewId!, Some.Bob));
        await Bot.SettleAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        var edit = Assert.Single(Connector.CallsTo("Conversations_UpdateActivity"), c => c.ActivityId == step.NewId);
        Assert.Contains("Done by bob at 03:10 UTC", edit.Said, StringComparison.Ordinal);
        Assert.Single(Bot.Incidents.Find("INC-1")!.Steps);
        Assert.Empty(Connector.Violations);
    }

    [Fact]
    public async Task SkipTakesItsReasonFromTheCardsInput()
    {
        var thread = await DeclareAsync();
        var step = Connector.CallsTo("Conversations_SendToConversation").Last(c => c.ConversationId == thread && c.Said.Contains("\"Skip\"", StringComparison.Ordinal));

        var response = await Bot.PostAsync(Incoming.Execute(Connector, Action(step, "Skip"), thread, step.NewId!, Some.Bob, reason: "status page is green"));
        await Bot.SettleAsync();

        Assert.Contains("Skipped by bob", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(Bot.Incidents.Timeline("INC-1"), e => e.Text.Contains("status page is green", StringComparison.Ordinal));
    }

    [Fact]
    public async Task APressThatOutlastsTheBudgetIsAnsweredInTimeAndTheCardChangesWhenItIsDone()
    {
        var thread = await DeclareAsync();
        var step = Connector.CallsTo("Conversations_SendToConversation").Last(c => c.ConversationId == thread && c.Said.Contains("\"Done\"", StringComparison.Ordinal));
        Task<HttpResponseMessage> pressing;
        using (await Bot.Services.GetRequiredService<IncidentLocks>().AcquireAsync("INC-1", CancellationToken.None))
        {
            // The incident is busy (a slow check, say): the press waits for its lock, and Teams can't wait that long.
            // Only the press's own budget timer counts: the declaration made one too.
            Bot.Time.ForgetTimers();
            pressing = Bot.PostAsync(Incoming.Execute(Connector, Action(step, "Done"), thread, step.NewId!, Some.Bob));
            while (await Bot.Time.NextTimerAsync() != TimeSpan.FromMilliseconds(3000))
            {
            }

            Bot.Time.Advance(TimeSpan.FromMilliseconds(3000));
            var answer = JsonNode.Parse(await (await pressing).Content.ReadAsStringAsync())!;
            Assert.Equal("application/vnd.microsoft.activity.message", (string?)answer["type"]);
            Assert.StartsWith("Working on it", (string?)answer["value"], StringComparison.Ordinal);
            Assert.DoesNotContain(Connector.CallsTo("Conversations_UpdateActivity"), c => c.ActivityId == step.NewId);
        }

        await Connector.WhenAsync(c => c.CallsTo("Conversations_UpdateActivity").Any(u => u.ActivityId == step.NewId), "the card update");
        Assert.Contains("Done by bob", Connector.CallsTo("Conversations_UpdateActivity").Single(u => u.ActivityId == step.NewId).Said, StringComparison.Ordinal);
        Assert.Single(Bot.Incidents.Find("INC-1")!.Steps);
    }

    [Fact]
    public async Task AMessageDeliveredTwiceRunsItsCommandOnce()
    {
        var declare = Incoming.ChannelMention(Connector, "declare auth-outage sev1 Users cannot sign in", Some.Alice);

        await Bot.PostAsync(declare);
        await Bot.PostAsync(declare);
        await Bot.SettleAsync();

        Assert.Single(Bot.Incidents.List(openOnly: false));
    }

    [Fact]
    public async Task AStalePressIsAnsweredWithCoresRefusalAndTheCardIsLeftAsItIs()
    {
        var thread = await DeclareAsync();
        var step = Connector.CallsTo("Conversations_SendToConversation").Last(c => c.ConversationId == thread && c.Said.Contains("\"Done\"", StringComparison.Ordinal));
        await Bot.PostAsync(Incoming.Execute(Connector, Action(step, "Done"), thread, step.NewId!, Some.Bob));
        await Bot.SettleAsync();
        var updates = Connector.CallsTo("Conversations_UpdateActivity").Count();

        var again = await Bot.PostAsync(Incoming.Execute(Connector, Action(step, "Done"), thread, step.NewId!, Some.Alice));
        await Bot.SettleAsync();

        var body = JsonNode.Parse(await again.Content.ReadAsStringAsync())!;
        Assert.Equal("application/vnd.microsoft.activity.message", (string?)body["type"]);
        Assert.Contains("stale", (string?)body["value"], StringComparison.OrdinalIgnoreCase);
        Assert.Equal(updates, Connector.CallsTo("Conversations_UpdateActivity").Count());
        Assert.Single(Bot.Incidents.Find("INC-1")!.Steps);
    }

    [Fact]
    public async Task AnInvokeWithoutAnIncidentBotActionIsABadRequestAndOtherInvokesAreNotImplemented()
    {
        var foreign = Specs.Sample("inbound-invoke-adaptiveCard-action.json");
        foreign["serviceUrl"] = Connector.ServiceUrl;

        var answer = JsonNode.Parse(await (await Bot.PostAsync(foreign)).Content.ReadAsStringAsync())!;
        Assert.Equal(400, (int)answer["statusCode"]!);
        Assert.Equal("application/vnd.microsoft.error", (string?)answer["type"]);

        foreign["name"] = "composeExtension/query";
        Assert.Equal(HttpStatusCode.NotImplemented, (await Bot.PostAsync(foreign)).StatusCode);
    }

    [Fact]
    public async Task MessagesInTheIncidentsThreadGoOnTheTimelineAndEditsAndDeletionsFollow()
    {
        var thread = await DeclareAsync();
        var message = Incoming.ChannelMessage(Connector, "Rolled back the 02:55 deploy", Some.Bob, thread);
        await Bot.PostAsync(message);
        await Bot.PostAsync(message); // delivered twice: recorded once

        var entry = Assert.Single(Bot.Incidents.Timeline("INC-1"), e => e.Kind == EntryKind.Message);
        Assert.Equal(("bob", "Rolled back the 02:55 deploy"), (entry.Actor, entry.Text));

        var edit = message.DeepClone().AsObject();
        edit["type"] = "messageUpdate";
        edit["text"] = "Rolled back the 02:55 and 03:05 deploys";
        await Bot.PostAsync(edit);
        Assert.Equal("Rolled back the 02:55 and 03:05 deploys", Assert.Single(Bot.Incidents.Timeline("INC-1"), e => e.Kind == EntryKind.Message).Text);

        var delete = message.DeepClone().AsObject();
        delete["type"] = "messageDelete";
        await Bot.PostAsync(delete);
        Assert.DoesNotContain(Bot.Incidents.Timeline("INC-1"), e => e.Kind == EntryKind.Message);

        // A message elsewhere in the channel is not the incident's.
        await Bot.PostAsync(Incoming.ChannelMessage(Connector, "lunch?", Some.Bob, Some.Channel + ";messageid=42"));
        Assert.DoesNotContain(Bot.Incidents.Timeline("INC-1"), e => e.Kind == EntryKind.Message);
    }

    [Fact]
    public async Task APageToSomeoneTheBotHasNeverSeenIsSaidInTheThread()
    {
        // alice is paged at declaration, but nobody has installed the bot for her or written from her account:
        // the bot only knows the channel (from the declaration, made by bob).
        await Bot.PostAsync(Incoming.ChannelMention(Connector, "declare auth-outage sev1 Users cannot sign in", Some.Bob));
        await Bot.SettleAsync();
        await Bot.DrainAsync(); // the failed page's own publication, queued while the declaration's was being sent
        var thread = Bot.Incidents.Find("INC-1")!.RoomOn("teams")!.ChannelId;

        Assert.Contains(Connector.CallsTo("Conversations_SendToConversation"), c => c.ConversationId == thread
            && c.Said.Contains("Could not reach alice: alice has not installed IncidentBot", StringComparison.Ordinal)
            && c.Said.Contains("Paging the next level now.", StringComparison.Ordinal));
        Assert.Contains(Bot.Log.Lines, l => l.Contains("the page to \"alice\" was not delivered in Teams", StringComparison.Ordinal));

        // On the timeline, and the next level is paged at once (the clock did not move).
        var timeline = Bot.Incidents.Timeline("INC-1");
        Assert.Contains(timeline, e => e.Kind == EntryKind.Escalation && e.Text.StartsWith("Could not reach alice: alice has not installed IncidentBot", StringComparison.Ordinal));
        Assert.Contains(timeline, e => e.Kind == EntryKind.Escalation && e.Text.StartsWith("Paged level 2 of", StringComparison.Ordinal)
            && e.Text.Contains("alice could not be reached", StringComparison.Ordinal));
    }

    private async Task<string> DeclareAsync()
    {
        await Bot.PostAsync(Incoming.AddedToTeam(Connector, Some.Alice));
        await Bot.PostAsync(Incoming.ChannelMention(Connector, "declare auth-outage sev1 Users cannot sign in", Some.Alice));
        await Bot.SettleAsync();
        await Bot.DrainAsync(); // the failed page's own publication, queued while the declaration's was being sent
        var thread = Bot.Incidents.Find("INC-1")!.RoomOn("teams")!.ChannelId;
        await Bot.PostAsync(Incoming.ChannelMention(Connector, "ack", Some.Bob, thread)); // steps move once someone is on it
        await Bot.SettleAsync();
        return thread;
    }

    private static JsonObject Action(ConnectorCall post, string title) =>
        post.Card!["body"]!.AsArray().OfType<JsonObject>().Where(e => (string?)e["type"] == "ActionSet")
            .SelectMany(e => e["actions"]!.AsArray().OfType<JsonObject>()).Single(a => (string?)a["title"] == title);
}
