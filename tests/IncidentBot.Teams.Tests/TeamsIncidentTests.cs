using System.Net;
using System.Text.Json.Nodes;
using IncidentBot.Core.Approvals;
using IncidentBot.Core.Incidents;
using IncidentBot.Teams.Tests.Support;

namespace IncidentBot.Teams.Tests;

/// <summary>A whole incident in Teams, driven through the real host with signed activities, against the Connector emulator.</summary>
public sealed class TeamsIncidentTests : TeamsHostTest
{
    protected override Dictionary<string, string?> Settings(ConnectorEmulator connector) => new()
    {
        ["Hooks:pause-webhooks:Url"] = connector.BaseUrl + ConnectorEmulator.HooksPath + "pause-webhooks",
    };

    [Fact]
    public async Task AWholeIncidentRunsInItsOwnThreadFromDeclarationByMentionToReport()
    {
        // alice adds the bot to the team; bob only installs it for himself and never writes to it.
        Assert.Equal(HttpStatusCode.OK, (await Bot.PostAsync(Incoming.AddedToTeam(Connector, Some.Alice))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Bot.PostAsync(Incoming.InstalledPersonally(Connector, Some.Bob))).StatusCode);
        Assert.DoesNotContain(Connector.Calls, c => c.OperationId != "Conversations_GetConversationPagedMembers"); // nothing said yet; the team's members may be fetched

        // Declared by mention in the channel: a thread for the incident, its card first.
        var declare = Incoming.ChannelMention(Connector, "declare auth-outage sev1 Users cannot sign in", Some.Alice);
        Assert.Equal(HttpStatusCode.OK, (await Bot.PostAsync(declare)).StatusCode);
        var created = await Connector.WhenCalledAsync("Conversations_CreateConversation");
        Assert.Equal(Some.Channel, (string?)created.Body!["channelData"]!["channel"]!["id"]);
        Assert.Contains("INC-1 · Users cannot sign in", created.Said, StringComparison.Ordinal);
        await Bot.SettleAsync();
        var thread = $"{Some.Channel};messageid={created.NewId}";
        var room = Bot.Incidents.Find("INC-1")!.RoomOn("teams")!;
        Assert.Equal((thread, created.NewId), (room.ChannelId, room.CardMessageId));
        Assert.Contains(Connector.CallsTo("Conversations_SendToConversation"), c => c.ConversationId == (string?)declare["conversation"]!["id"] && c.Said.Contains("own thread", StringComparison.Ordinal));
        Assert.Contains(Posts(thread), c => c.Said.Contains("alice declared INC-1", StringComparison.Ordinal));

        // The on-call (alice) is paged in a 1:1 chat the bot opens: she is known from adding the bot to the team.
        var opened = Assert.Single(Connector.CallsTo("Conversations_CreateConversation"), c => c.Body!["members"] is not null);
        Assert.Equal(Some.Alice.Mri, (string?)opened.Body!["members"]![0]!["id"]);
        Assert.Contains(Posts("a:dm-alice-mri"), c => c.Said.Contains("You are paged for INC-1", StringComparison.Ordinal));

        // Nobody acknowledges for 15 minutes: bob, who only installed the app, is paged in his 1:1 chat.
        Bot.Time.Advance(TimeSpan.FromMinutes(15));
        await Connector.WhenAsync(c => Posts(Incoming.PersonalChat(Some.Bob)).Any(), "bob's page");
        var page = Posts(Incoming.PersonalChat(Some.Bob)).Single();
        Assert.Contains("You are paged for INC-1", page.Said, StringComparison.Ordinal);

        // bob acknowledges from the page: the invoke is answered with the page's card, its button replaced by the outcome.
        var ack = await ExecuteAsync(page, "Acknowledge", Incoming.PersonalChat(Some.Bob), Some.Bob);
        Assert.Contains("Acknowledged by bob at 03:25 UTC", ack.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Action.Execute", ack.ToJsonString(), StringComparison.Ordinal);
        await Bot.SettleAsync();
        Assert.Equal(IncidentState.Investigating, Bot.Incidents.Find("INC-1")!.State);
        Assert.Contains(Connector.CallsTo("Conversations_UpdateActivity"), c => c.ActivityId == room.CardMessageId && c.Said.Contains("Investigating", StringComparison.Ordinal));

        // Step 1 done by a button in the thread: answered with the refreshed card, and the message edited for everyone.
        var step = Posts(thread).Last(c => c.Said.Contains("\"Done\"", StringComparison.Ordinal));
        var done = await ExecuteAsync(step, "Done", thread, Some.Bob);
        Assert.Contains("Done by bob at 03:25 UTC", done.ToJsonString(), StringComparison.Ordinal);
        await Bot.SettleAsync();
        var edited = Connector.CallsTo("Conversations_UpdateActivity").SingleOrDefault(c => c.ActivityId == step.NewId) ?? throw new Xunit.Sdk.XunitException($"no update of {step.NewId}: updates {string.Join(",", Connector.CallsTo("Conversations_UpdateActivity").Select(c => c.ActivityId))}; log: {string.Join("\n", Bot.Log.Lines.TakeLast(15))}");
        Assert.DoesNotContain("Action.Execute", edited.Said, StringComparison.Ordinal);
        Assert.Single(Bot.Incidents.Find("INC-1")!.Steps);

        // An approval, requested by mention in the thread and approved by another person with Action.Execute.
        await Bot.PostAsync(Incoming.ChannelMention(Connector, "hook pause-webhooks", Some.Alice, thread));
        await Bot.SettleAsync();
        var approval = Posts(thread).Last(c => c.Said.Contains("Approval A1", StringComparison.Ordinal));
        var approved = await ExecuteAsync(approval, "Approve", thread, Some.Bob);
        Assert.Contains("Approved by bob at 03:25 UTC", approved.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Action.Execute", approved.ToJsonString(), StringComparison.Ordinal);
        await Bot.SettleAsync();
        await Connector.WhenAsync(c => c.Hooks.Contains("pause-webhooks"), "the hook call");
        Assert.Equal(ApprovalState.Done, Bot.Incidents.Find("INC-1")!.FindApproval("A1")!.State);

        // Pressing Approve again is refused by Core and said to the presser; the card stays as it is.
        var again = await ExecuteAsync(approval, "Approve", thread, Some.Bob, expectCard: false);
        Assert.Equal("application/vnd.microsoft.activity.message", (string?)again["type"]);

        // Resolve and report by mention in the thread: the report is posted there.
        await Bot.PostAsync(Incoming.ChannelMention(Connector, "resolve", Some.Bob, thread));
        await Bot.SettleAsync();
        await Bot.PostAsync(Incoming.ChannelMention(Connector, "report", Some.Bob, thread));
        await Connector.WhenAsync(c => Posts(thread).Any(p => (string?)p.Body!["textFormat"] == "markdown"), "the report");
        var report = Posts(thread).Single(p => (string?)p.Body!["textFormat"] == "markdown");
        Assert.Contains("Users cannot sign in", (string?)report.Body!["text"], StringComparison.Ordinal);

        Assert.Equal(IncidentState.Resolved, Bot.Incidents.Find("INC-1")!.State);
        Assert.Empty(Connector.Violations);
        Assert.All(Connector.Calls.Select(c => c.Card).OfType<JsonObject>(), card => Assert.Empty(CardSchema.Problems(card)));
        Assert.All(Bot.Log.Lines, l => Assert.DoesNotContain(Some.AppPassword, l, StringComparison.Ordinal));
        Assert.All(Bot.Log.Lines, l => Assert.DoesNotContain("connector-token-", l, StringComparison.Ordinal));
    }

    private IEnumerable<ConnectorCall> Posts(string conversationId) =>
        Connector.CallsTo("Conversations_SendToConversation").Where(c => c.ConversationId == conversationId);

    /// <summary>Presses a card's button with the real Action.Execute invoke; returns the invoke response's value (a card, or a message).</summary>
    private async Task<JsonObject> ExecuteAsync(ConnectorCall post, string title, string conversationId, (string Name, string Role, string Aad, string Mri) who, bool expectCard = true)
    {
        var action = post.Card!["body"]!.AsArray().OfType<JsonObject>().Where(e => (string?)e["type"] == "ActionSet")
            .SelectMany(e => e["actions"]!.AsArray().OfType<JsonObject>()).Single(a => (string?)a["title"] == title);
        var response = await Bot.PostAsync(Incoming.Execute(Connector, action, conversationId, post.NewId!, who));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(200, (int)body["statusCode"]!);
        if (!expectCard)
        {
            return body;
        }

        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)body["type"]);
        var card = (JsonObject)body["value"]!;
        Assert.Empty(CardSchema.Problems(card));
        return card;
    }
}
