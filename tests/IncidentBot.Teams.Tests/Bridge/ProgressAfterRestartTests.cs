using IncidentBot.Core.Messaging;
using IncidentBot.Teams.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Teams.Tests.Bridge;

/// <summary>
/// Issue 11: a running action's progress message keeps its Teams activity id in the storage file, so a bot restarted on
/// the same file (a resumed resync) PUTs the same activity instead of sending a second one; an activity Teams no longer
/// knows (404) is sent afresh and the fresh one is updated from then on.
/// </summary>
public sealed class ProgressAfterRestartTests : IAsyncLifetime
{
    private const string Key = "sync.resync:A1";
    private readonly string _folder = Directory.CreateTempSubdirectory("incidentbot-teams-progress").FullName;
    private TokenIssuer _issuer = null!;
    private ConnectorEmulator _connector = null!;

    public async Task InitializeAsync()
    {
        _issuer = await TokenIssuer.StartAsync();
        _connector = await ConnectorEmulator.StartAsync();
    }

    [Fact]
    public async Task ProgressSentBeforeARestartIsPutInPlaceByTheNextProcessOnTheSameStorageFile()
    {
        string conversation;
        await using (var first = await StartAsync())
        {
            await first.PostAsync(Incoming.Personal(_connector, "declare webhook-failure sev2 Users missing in our database", Some.Alice));
            await first.SettleAsync();
            conversation = first.Incidents.Find("INC-1")!.RoomOn("teams")!.ChannelId;
            await ShowAsync(first, "500 of 1,200 users; 0 failed");
            await first.DrainAsync();
        }

        var sent = Assert.Single(_connector.CallsTo("Conversations_SendToConversation"), c => c.Said.Contains("of 1,200 users", StringComparison.Ordinal));
        var updatesBefore = _connector.CallsTo("Conversations_UpdateActivity").Count();

        await using (var second = await StartAsync())
        {
            await ShowAsync(second, "1,000 of 1,200 users; 2 failed (resumed)");
            await ShowAsync(second, "1,200 of 1,200 users; 3 failed (resumed)");
            await second.DrainAsync();
        }

        Assert.Single(_connector.CallsTo("Conversations_SendToConversation"), c => c.Said.Contains("of 1,200 users", StringComparison.Ordinal)); // no second message
        var updates = _connector.CallsTo("Conversations_UpdateActivity").Skip(updatesBefore).ToList();
        Assert.Equal(2, updates.Count);
        Assert.All(updates, u => Assert.Equal((conversation, sent.NewId), (u.ConversationId, u.ActivityId)));
        Assert.Contains("1,200 of 1,200 users; 3 failed (resumed)", updates[^1].Said, StringComparison.Ordinal);
        Assert.Empty(_connector.Violations);
    }

    [Fact]
    public async Task AProgressActivityTeamsNoLongerKnowsIsSentAfreshAndTheFreshOneIsUpdatedFromThenOn()
    {
        await using (var first = await StartAsync())
        {
            await first.PostAsync(Incoming.Personal(_connector, "declare webhook-failure sev2 Users missing in our database", Some.Alice));
            await first.SettleAsync();
            await ShowAsync(first, "500 of 1,200 users; 0 failed");
            await first.DrainAsync();
        }

        var old = _connector.CallsTo("Conversations_SendToConversation").Single(c => c.Said.Contains("of 1,200 users", StringComparison.Ordinal)).NewId;

        // Someone deleted it: the PUT of the old activity answers 404.
        _connector.FailNext("Conversations_UpdateActivity", (404, null));
        await using var second = await StartAsync();
        await ShowAsync(second, "1,000 of 1,200 users; 2 failed (resumed)");
        await ShowAsync(second, "1,200 of 1,200 users; 3 failed (resumed)");
        await second.DrainAsync();

        var sent = _connector.CallsTo("Conversations_SendToConversation").Where(c => c.Said.Contains("of 1,200 users", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, sent.Count);
        Assert.Contains("1,000 of 1,200 users; 2 failed (resumed)", sent[1].Said, StringComparison.Ordinal);
        Assert.NotEqual(old, sent[1].NewId);
        var updates = _connector.CallsTo("Conversations_UpdateActivity").Where(u => u.Said.Contains("of 1,200 users", StringComparison.Ordinal)).ToList();
        Assert.Equal([old, sent[1].NewId], updates.Select(u => u.ActivityId)); // the refused PUT, then the fresh one's
        Assert.Contains("1,200 of 1,200 users; 3 failed (resumed)", updates[^1].Said, StringComparison.Ordinal);
        Assert.DoesNotContain(second.Incidents.Timeline("INC-1"), e => e.Kind == "delivery"); // not a room in trouble
        Assert.Empty(_connector.Violations);
    }

    public async Task DisposeAsync()
    {
        await _connector.DisposeAsync();
        await _issuer.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<TestBot> StartAsync() => TestBot.StartAsync(_issuer, _connector, new() { ["Storage:Path"] = Path.Combine(_folder, "incidentbot.db") });

    private static Task ShowAsync(TestBot bot, string text) =>
        bot.Services.GetRequiredService<IRoomProgress>().ShowAsync("INC-1", Key, new ChatMessage { Header = "A1 resync progress", Text = text }, CancellationToken.None);
}
