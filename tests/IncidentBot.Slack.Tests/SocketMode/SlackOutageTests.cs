using System.Net;
using IncidentBot.Slack.Api;
using IncidentBot.Slack.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace IncidentBot.Slack.Tests.SocketMode;

/// <summary>
/// Slack failing in ways nobody planned for (a call that never answers, an answer that makes no sense) costs one
/// attempt, never the host: .NET stops the whole app when a BackgroundService throws.
/// </summary>
public sealed class SlackOutageTests : IAsyncLifetime
{
    // HttpClient's own timeout (real time: HttpClient takes no TimeProvider); short so the hang is noticed at once.
    private static readonly TimeSpan HttpTimeout = TimeSpan.FromMilliseconds(300);

    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SlackEmulator _slack = null!;

    public async Task InitializeAsync() => _slack = await SlackEmulator.StartAsync();

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task AConnectionsOpenThatTimesOutIsRetriedAndTheHostStaysUp()
    {
        HangOnce("apps.connections.open");
        await using var bot = await StartBotAsync();

        // The first apps.connections.open outlives HttpClient's timeout (TaskCanceledException); the bot asks again.
        var socket = await _slack.AcceptSocketAsync();
        await socket.SendAsync(Payloads.Json("socket_mode__hello.python-slack-sdk.json"));
        _release.SetResult();
        await _slack.WhenCalledAsync("apps.connections.open", 2);

        await AssertStillUpAsync(bot);
        Assert.Contains(bot.Log.Lines, l => l.Contains("Socket Mode connection failed (1 in a row)", StringComparison.Ordinal) && l.Contains("no answer in time", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAnswerThatMakesNoSenseCostsOneAttemptNotTheHost()
    {
        // ok:true without a url: new Uri("") throws UriFormatException, which nobody expects.
        var answered = 0;
        _slack.On("apps.connections.open", _ => Task.FromResult<IResult?>(
            Interlocked.Increment(ref answered) == 1 ? Results.Json(new { ok = true }) : null));
        await using var bot = await StartBotAsync();

        var socket = await _slack.AcceptSocketAsync();
        await socket.SendAsync(Payloads.Json("socket_mode__hello.python-slack-sdk.json"));

        Assert.Equal(2, _slack.CallsTo("apps.connections.open").Count());
        await AssertStillUpAsync(bot);
        Assert.Contains(bot.Log.Lines, l => l.Contains("Socket Mode connection failed (1 in a row)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ATokenCheckThatTimesOutLeavesTheWorkerAndTheHostRunning()
    {
        HangOnce("auth.test");
        await using var bot = await StartBotAsync(socketMode: false);

        // The worker takes queued work only after the token check: the item ran, so the check gave up and the worker went on.
        await bot.DrainAsync();
        Assert.Contains(bot.Log.Lines, l => l.Contains("Slack bot token check failed", StringComparison.Ordinal) && l.Contains("no answer in time", StringComparison.Ordinal));

        await AssertStillUpAsync(bot);
    }

    private void HangOnce(string method)
    {
        var calls = 0;
        _slack.On(method, async _ =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                await _release.Task;
            }

            return null;
        });
    }

    private Task<TestBot> StartBotAsync(bool socketMode = true) => TestBot.StartAsync(
        _slack,
        new() { ["Slack:AppToken"] = socketMode ? SlackEmulator.AppToken : "" },
        services => services.AddHttpClient<ISlackApi, SlackApiClient>(http => http.Timeout = HttpTimeout));

    private static async Task AssertStillUpAsync(TestBot bot)
    {
        Assert.False(bot.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested, "the host is stopping");
        var health = await bot.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
