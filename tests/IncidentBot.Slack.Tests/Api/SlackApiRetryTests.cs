using System.Net;
using System.Net.Sockets;
using IncidentBot.Slack.Api;
using IncidentBot.Slack.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.Tests.Api;

/// <summary>Issue 13, Low: Web API calls retry connection failures and 5xx (bounded, jittered, Retry-After honoured) and time out per attempt.</summary>
public sealed class SlackApiRetryTests : IAsyncLifetime
{
    private const int CallTimeoutSeconds = 15;
    private readonly ObservedTimeProvider _time = new(Some.Now);
    private readonly HttpClient _http = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SlackEmulator _slack = null!;

    public async Task InitializeAsync() => _slack = await SlackEmulator.StartAsync();

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        _http.Dispose();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task A5xxIsRetriedAfterAJitteredBackoffOnTheInjectedClock()
    {
        AnswerFirst("chat.postMessage", 2, () => new Status(HttpStatusCode.ServiceUnavailable));

        var posting = Api().PostMessageAsync("C111", new SlackMessage("hello", []), CancellationToken.None);
        var first = await NextBackoffAsync();
        _time.Advance(first);
        var second = await NextBackoffAsync();
        _time.Advance(second);
        var posted = await posting.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.NotNull(posted.Ts);
        Assert.InRange(first, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
        Assert.InRange(second, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        Assert.Equal(3, _slack.CallsTo("chat.postMessage").Count());
    }

    [Fact]
    public async Task A5xxWithRetryAfterWaitsThatLong()
    {
        AnswerFirst("users.info", 1, () => new Status(HttpStatusCode.BadGateway, retryAfterSeconds: 9));

        var asking = Api().UserInfoAsync("U0BOB", CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(9), await NextBackoffAsync());
        _time.Advance(TimeSpan.FromSeconds(9));
        await asking.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(2, _slack.CallsTo("users.info").Count());
    }

    [Fact]
    public async Task AConnectionDroppedMidCallIsRetried()
    {
        AnswerFirst("conversations.setTopic", 1, () => new Drop());

        var setting = Api().SetTopicAsync("C111", "INC-1", CancellationToken.None);
        _time.Advance(await NextBackoffAsync());
        await setting.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(2, _slack.CallsTo("conversations.setTopic").Count());
    }

    [Fact]
    public async Task RetriesAreBoundedAndTheLastFailureIsReported()
    {
        AnswerFirst("pins.add", int.MaxValue, () => new Status(HttpStatusCode.InternalServerError));

        var pinning = Api().PinAsync("C111", "1.2", CancellationToken.None);
        for (var retry = 0; retry < 3; retry++)
        {
            _time.Advance(await NextBackoffAsync());
        }

        var error = await Assert.ThrowsAsync<SlackApiException>(() => pinning.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal("HTTP 500", error.Error);
        Assert.Equal(4, _slack.CallsTo("pins.add").Count());
    }

    [Fact]
    public async Task AnUnreachableSlackIsRetriedThenReportedAsAConnectionFailure()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now: connections are refused

        var checking = Api($"http://127.0.0.1:{port}/api/").AuthTestAsync(CancellationToken.None);
        for (var retry = 0; retry < 3; retry++)
        {
            _time.Advance(await NextBackoffAsync());
        }

        await Assert.ThrowsAsync<HttpRequestException>(() => checking.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task AnAttemptThatOutlivesTheCallTimeoutFailsAndIsNotRetried()
    {
        var arrived = 0;
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _slack.On("chat.postMessage", async _ =>
        {
            Interlocked.Increment(ref arrived);
            entered.TrySetResult();
            await _release.Task;
            return null;
        });

        var posting = Api().PostMessageAsync("C111", new SlackMessage("hello", []), CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(CallTimeoutSeconds), await _time.NextTimerAsync());
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        _time.Advance(TimeSpan.FromSeconds(CallTimeoutSeconds));

        var timedOut = await Assert.ThrowsAsync<SlackApiException>(() => posting.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains($"no answer within {CallTimeoutSeconds} s", timedOut.Message);
        Assert.Equal(1, Volatile.Read(ref arrived)); // a second post could post twice
    }

    [Theory]
    [InlineData(1, 0.5, 1)]
    [InlineData(2, 1, 2)]
    [InlineData(3, 2, 4)]
    [InlineData(9, 15, 30)]
    public void BackoffDoublesWithJitterUpToThirtySeconds(int retry, double low, double high)
    {
        for (var i = 0; i < 100; i++)
        {
            Assert.InRange(SlackApiClient.Backoff(retry).TotalSeconds, low, high);
        }
    }

    private SlackApiClient Api(string? apiUrl = null) => new(
        _http,
        Options.Create(new SlackOptions
        {
            ApiUrl = apiUrl ?? _slack.ApiUrl,
            BotToken = SlackEmulator.BotToken,
            SigningSecret = Some.SigningSecret,
            CallTimeoutSeconds = CallTimeoutSeconds,
        }),
        _time,
        NullLogger<SlackApiClient>.Instance);

    /// <summary>The next wait the client sets that is not an attempt's own timeout.</summary>
    private async Task<TimeSpan> NextBackoffAsync()
    {
        TimeSpan due;
        do
        {
            due = await _time.NextTimerAsync();
        }
        while (due == TimeSpan.FromSeconds(CallTimeoutSeconds));

        return due;
    }

    private void AnswerFirst(string method, int times, Func<IResult> answer)
    {
        var calls = 0;
        _slack.On(method, _ => Task.FromResult(Interlocked.Increment(ref calls) <= times ? answer() : null));
    }

    private sealed class Status(HttpStatusCode status, int? retryAfterSeconds = null) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = (int)status;
            if (retryAfterSeconds is { } seconds)
            {
                httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return Task.CompletedTask;
        }
    }

    private sealed class Drop : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Abort();
            return Task.CompletedTask;
        }
    }
}
