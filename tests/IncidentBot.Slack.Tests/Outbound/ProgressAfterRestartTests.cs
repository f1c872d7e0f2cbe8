using IncidentBot.Core.Messaging;
using IncidentBot.Slack.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Slack.Tests.Outbound;

/// <summary>
/// Issue 11: a running action's progress message (<see cref="ChatMessage.UpdateKey"/>) keeps its Slack ts in the
/// storage file, so a bot restarted on the same file (a resumed resync) edits the same message with chat.update instead
/// of posting a second one and leaving the first frozen; a message Slack can no longer update is posted afresh.
/// </summary>
public sealed class ProgressAfterRestartTests : IAsyncLifetime
{
    private const string Key = "sync.resync:A1";
    private readonly string _folder = Directory.CreateTempSubdirectory("incidentbot-slack-progress").FullName;
    private SlackEmulator _slack = null!;

    public async Task InitializeAsync() => _slack = await SlackEmulator.StartAsync();

    [Fact]
    public async Task ProgressPostedBeforeARestartIsUpdatedInPlaceByTheNextProcessOnTheSameStorageFile()
    {
        string channel;
        await using (var first = await StartAsync())
        {
            await first.CommandAsync(Payloads.SlashCommand("declare webhook-failure sev2 Users missing in our database"));
            channel = (await _slack.WhenCalledAsync("conversations.create")).Answer!["channel"]!["id"]!.ToString();
            await first.SettleAsync();
            await ShowAsync(first, "500 of 1,200 users; 0 failed");
            await first.DrainAsync();
        }

        var posted = Assert.Single(_slack.CallsTo("chat.postMessage"), c => c.Arg("text")!.Contains("of 1,200 users", StringComparison.Ordinal));
        var ts = posted.Answer!["ts"]!.ToString();
        Assert.Equal(channel, posted.Arg("channel"));
        var updatesBefore = _slack.CallsTo("chat.update").Count();

        // The second process (the resync resumed from its checkpoint) reports on the same storage file.
        await using (var second = await StartAsync())
        {
            await ShowAsync(second, "1,000 of 1,200 users; 2 failed (resumed)");
            await ShowAsync(second, "1,200 of 1,200 users; 3 failed (resumed)");
            await second.DrainAsync();
            Assert.DoesNotContain(second.Incidents.Timeline("INC-1"), e => e.Kind == "delivery");
        }

        Assert.Single(_slack.CallsTo("chat.postMessage"), c => c.Arg("text")!.Contains("of 1,200 users", StringComparison.Ordinal)); // no second message
        var updates = _slack.CallsTo("chat.update").Skip(updatesBefore).ToList();
        Assert.Equal(2, updates.Count);
        Assert.All(updates, u => Assert.Equal((channel, ts), (u.Arg("channel"), u.Arg("ts"))));
        Assert.Contains("1,200 of 1,200 users; 3 failed (resumed)", updates[^1].Arg("text"), StringComparison.Ordinal);
        Assert.Empty(_slack.Violations);
    }

    [Theory]
    [InlineData("message_not_found")]
    [InlineData("cant_update_message")]
    public async Task AProgressMessageSlackCanNoLongerUpdateAfterARestartIsPostedAfreshAndTheFreshOneIsUpdatedFromThenOn(string error)
    {
        await using (var first = await StartAsync())
        {
            await first.CommandAsync(Payloads.SlashCommand("declare webhook-failure sev2 Users missing in our database"));
            await first.SettleAsync();
            await ShowAsync(first, "500 of 1,200 users; 0 failed");
            await first.DrainAsync();
        }

        var old = _slack.CallsTo("chat.postMessage").Single(c => c.Arg("text")!.Contains("of 1,200 users", StringComparison.Ordinal)).Answer!["ts"]!.ToString();

        // Someone deleted the old message (or Slack won't edit it any more): chat.update of that ts is refused.
        _slack.On("chat.update", call => Task.FromResult<IResult?>(call.Arg("ts") == old ? Results.Json(new { ok = false, error }) : null));
        await using var second = await StartAsync();
        await ShowAsync(second, "1,000 of 1,200 users; 2 failed (resumed)");
        await ShowAsync(second, "1,200 of 1,200 users; 3 failed (resumed)");
        await second.DrainAsync();

        var posts = _slack.CallsTo("chat.postMessage").Where(c => c.Arg("text")!.Contains("of 1,200 users", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, posts.Count);
        Assert.Contains("1,000 of 1,200 users; 2 failed (resumed)", posts[1].Arg("text"), StringComparison.Ordinal); // the figure that could not be written in place
        var fresh = posts[1].Answer!["ts"]!.ToString();
        Assert.NotEqual(old, fresh);
        Assert.Single(_slack.CallsTo("chat.update"), u => u.Arg("ts") == old); // tried once, refused, never again
        Assert.Contains(second.Log.Lines, l => l.Contains(error, StringComparison.Ordinal) && l.Contains("posting a fresh one", StringComparison.Ordinal));
        var last = _slack.CallsTo("chat.update").Last();
        Assert.Equal(fresh, last.Arg("ts"));
        Assert.Contains("1,200 of 1,200 users; 3 failed (resumed)", last.Arg("text"), StringComparison.Ordinal);

        // Not a room in trouble: the fresh post went through, so nothing about delivery is on the timeline.
        Assert.DoesNotContain(second.Incidents.Timeline("INC-1"), e => e.Kind == "delivery");
        Assert.Empty(_slack.Violations);
    }

    public async Task DisposeAsync()
    {
        await _slack.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<TestBot> StartAsync() => TestBot.StartAsync(_slack, new() { ["Storage:Path"] = Path.Combine(_folder, "incidentbot.db") });

    private static Task ShowAsync(TestBot bot, string text) =>
        bot.Services.GetRequiredService<IRoomProgress>().ShowAsync("INC-1", Key, new ChatMessage { Header = "A1 resync progress", Text = text }, CancellationToken.None);
}
