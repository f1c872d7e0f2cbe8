using System.Globalization;
using IncidentBot.Slack.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace IncidentBot.Slack.Tests.Outbound;

/// <summary>
/// Issue 13, fault test: Slack answering one incident's channel with 500s, 429s and no answer at all, for minutes (on
/// the fake clock). Another incident is declared, gets its channel and card and pages its on-call meanwhile; each failure
/// (a timeout included, which used to end as a silent cancellation) is logged with its channel and said in the room
/// (delivered once the room answers again); the timeline keeps everything; the channel recovers.
/// </summary>
public sealed class SlackTroubleTests : SlackHostTest
{
    [Fact]
    public async Task MinutesOfSlack500s429sAndTimeoutsInOneChannelLeaveOtherIncidentsServedAndSayWhatFailed()
    {
        await Bot.CommandAsync(Payloads.SlashCommand("declare performance sev3 Slow dashboard", userId: "U0ALICE", responseUrl: $"{Slack.BaseUrl}/hooks/alice-declare"));
        var first = (await Slack.WhenCalledAsync("conversations.create")).Answer!["channel"]!["id"]!.ToString();
        await Slack.WhenCalledAsync("pins.add");
        await Bot.SettleAsync();
        var started = Bot.Time.GetUtcNow();

        // From now on every post and update in INC-1's channel fails: 500, then 429 (Retry-After: 5), then no answer, in turn.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var troubled = true;
        async Task<IResult?> Trouble(SlackCall call)
        {
            if (!Volatile.Read(ref troubled) || call.Arg("channel") != first)
            {
                return null;
            }

            switch (Interlocked.Increment(ref calls) % 3)
            {
                case 1:
                    return Results.StatusCode(500);
                case 2:
                    return new TooMany(5);
                default:
                    await release.Task; // held past the bot's per-call timeout
                    return Results.StatusCode(500);
            }
        }

        Slack.On("chat.postMessage", Trouble);
        Slack.On("chat.update", Trouble);
        await Bot.CommandAsync(Payloads.SlashCommand("sev INC-1 2", channelId: first, userId: "U0ALICE", responseUrl: $"{Slack.BaseUrl}/hooks/alice-sev"));
        await Bot.CommandAsync(Payloads.SlashCommand("note INC-1 cache cluster rebooted", channelId: first, userId: "U0ALICE", responseUrl: $"{Slack.BaseUrl}/hooks/alice-note"));

        // INC-2 is served at once, without the clock moving: channel, pinned card, its on-call paged by DM.
        await Bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev1 Users cannot sign in", userId: "U0BOB", responseUrl: $"{Slack.BaseUrl}/hooks/bob-declare"));
        await Slack.WhenCalledAsync("pins.add", 2);
        var dm = (string)(await Slack.WhenCalledAsync("conversations.open")).Answer!["channel"]!["id"]!;
        await Slack.WhenAsync(e => e.CallsTo("chat.postMessage").Any(c => c.Arg("channel") == dm), "INC-2's page by DM");

        // Three minutes pass with INC-1's channel failing (the lane's waits and timeouts run on the fake clock).
        for (var second = 0; second < 180; second++)
        {
            Bot.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(2); // lets the bot's lanes take their turn; the fake clock alone says how long passed
        }

        // Every kind of trouble was met, each failure is logged with its channel, and the bot tried to say it in the room.
        Assert.True(Volatile.Read(ref calls) >= 3, $"only {calls} calls met trouble");
        Assert.Contains(Bot.Log.Lines, l => l.Contains($"Slack call for \"{first}\" failed", StringComparison.Ordinal) && l.Contains("no answer within 15 s", StringComparison.Ordinal));
        Assert.Contains(Bot.Log.Lines, l => l.Contains("Slack rate-limited", StringComparison.Ordinal));
        Assert.Contains(Slack.CallsTo("chat.postMessage"), c => c.Arg("channel") == first && c.Arg("text")!.Contains("Slack refused chat.", StringComparison.Ordinal));

        // Nothing recorded was lost: the change and the note are on INC-1's timeline.
        var timeline = Bot.Incidents.Timeline("INC-1").Select(e => e.Text).ToList();
        Assert.Contains(timeline, t => t.Contains("cache cluster rebooted", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("sev2", StringComparison.OrdinalIgnoreCase) || t.Contains("severity", StringComparison.OrdinalIgnoreCase));

        // Slack recovers: INC-1's channel gets posts again.
        Volatile.Write(ref troubled, false);
        release.TrySetResult();
        int Posted() => Slack.CallsTo("chat.postMessage").Count(c => c.Arg("channel") == first && c.Answer?["ok"]?.GetValue<bool>() == true);
        var before = Posted();
        await Bot.CommandAsync(Payloads.SlashCommand("note INC-1 dashboards back", channelId: first, userId: "U0ALICE", responseUrl: $"{Slack.BaseUrl}/hooks/alice-back"));
        await Bot.CommandAsync(Payloads.SlashCommand("sev INC-1 3", channelId: first, userId: "U0ALICE", responseUrl: $"{Slack.BaseUrl}/hooks/alice-sev3"));
        var drained = Bot.DrainAsync();
        while (!drained.IsCompleted)
        {
            Bot.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(drained, Task.Delay(5));
        }

        await drained;
        Assert.True(Posted() > before, "INC-1's channel got nothing after Slack recovered");
        Assert.Empty(Slack.Violations);
    }

    private sealed class TooMany(int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = 429;
            httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        }
    }
}
