using IncidentBot.Slack.Api;
using IncidentBot.Slack.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.Tests.Api;

public sealed class SlackApiClientTests : IAsyncLifetime
{
    private readonly ObservedTimeProvider _time = new(Some.Now);
    private readonly HttpClient _http = new();
    private SlackEmulator _slack = null!;
    private SlackApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _slack = await SlackEmulator.StartAsync();
        var options = Options.Create(new SlackOptions
        {
            ApiUrl = _slack.ApiUrl,
            BotToken = SlackEmulator.BotToken,
            SigningSecret = Some.SigningSecret,
            AppToken = SlackEmulator.AppToken,
        });
        _api = new SlackApiClient(_http, options, _time, NullLogger<SlackApiClient>.Instance);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task A429WaitsRetryAfterSecondsOnTheInjectedClockThenRetries()
    {
        _slack.RateLimitOnce("chat.postMessage", retryAfterSeconds: 7);

        var posting = _api.PostMessageAsync("C111", new SlackMessage("hello", []), CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(15), await _time.NextTimerAsync()); // the attempt's own timeout
        Assert.Equal(TimeSpan.FromSeconds(7), await _time.NextTimerAsync());
        Assert.False(posting.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(7));
        var posted = await posting.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.NotNull(posted.Ts);
        Assert.Equal(2, _slack.CallsTo("chat.postMessage").Count());
    }

    [Fact]
    public async Task OkFalseBecomesATypedErrorWhoseTextCanBeShownToTheUser()
    {
        _slack.Refuse("conversations.invite", "not_in_channel");

        var error = await Assert.ThrowsAsync<SlackApiException>(() => _api.InviteAsync("C111", ["U0ALICE"], CancellationToken.None));

        Assert.Equal("not_in_channel", error.Error);
        Assert.Equal("Slack refused conversations.invite: not_in_channel", error.Message);
    }

    [Fact]
    public async Task EveryMethodIsSentTheWaySlackApiRefDescribesIt()
    {
        var message = new SlackMessage("hi", [new System.Text.Json.Nodes.JsonObject { ["type"] = "divider" }]);
        var none = CancellationToken.None;
        await _api.AuthTestAsync(none);
        await _api.PostMessageAsync("C111", message, none);
        await _api.UpdateAsync("C111", "1.2", message, none);
        await _api.PostEphemeralAsync("C111", "U0BOB", message, none);
        await _api.CreateConversationAsync("inc-1", false, none);
        await _api.InviteAsync("C111", ["U0ALICE", "U0BOB"], none);
        await _api.SetTopicAsync("C111", "INC-1", none);
        await _api.HistoryAsync("C111", null, 100, none);
        await _api.PinAsync("C111", "1.2", none);
        await _api.UserInfoAsync("U0BOB", none);
        await _api.LookupByEmailAsync("bob@example.com", none);
        var upload = await _api.GetUploadUrlExternalAsync("INC-1.md", 5, none);
        await _api.UploadToUrlAsync(upload.UploadUrl, "hello"u8.ToArray(), none);
        await _api.CompleteUploadExternalAsync(upload.FileId, "report", "C111", "INC-1 report", none);
        var connection = await _api.OpenConnectionAsync(none);

        Assert.Empty(_slack.Violations);
        Assert.StartsWith("ws://", connection.Url, StringComparison.Ordinal);
        Assert.Equal("GET", Assert.Single(_slack.CallsTo("users.info")).HttpMethod);
        Assert.StartsWith("application/x-www-form-urlencoded", Assert.Single(_slack.CallsTo("files.getUploadURLExternal")).ContentType, StringComparison.Ordinal);
        Assert.Equal("application/json; charset=utf-8", Assert.Single(_slack.CallsTo("chat.postMessage")).ContentType);
        Assert.Equal(SlackEmulator.AppToken, Assert.Single(_slack.CallsTo("apps.connections.open")).Token);
        Assert.Equal("hello", System.Text.Encoding.UTF8.GetString(Assert.Single(_slack.Uploads).Content));
    }

    [Fact]
    public async Task TheEmulatorRejectsACallWithoutItsRequiredArguments()
    {
        // The emulator's checks come from slack-api-ref: conversations.setTopic requires channel and topic.
        var error = await Assert.ThrowsAsync<SlackApiException>(() => _api.SetTopicAsync("C111", "", CancellationToken.None));

        Assert.Equal("emulator_violation", error.Error);
        Assert.Contains(_slack.Violations, v => v.Contains("required topic", StringComparison.Ordinal));
    }
}
