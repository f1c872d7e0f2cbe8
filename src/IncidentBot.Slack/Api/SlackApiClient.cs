using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.Api;

/// <summary>
/// The typed Web API client. JSON bodies for the methods that accept them, form or query for the others
/// (users.*, files.getUploadURLExternal, apps.connections.open), as slack-api-ref describes each method.
/// The token travels only in the Authorization header and is never logged.
/// </summary>
public sealed class SlackApiClient(HttpClient http, IOptions<SlackOptions> options, TimeProvider time, ILogger<SlackApiClient> log) : ISlackApi
{
    // A Retry-After longer than this is taken as this: one call must not hold the work behind it for an hour.
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly SlackOptions _options = options.Value;

    public Task<AuthTestResponse> AuthTestAsync(CancellationToken cancellationToken) =>
        JsonAsync<AuthTestResponse>("auth.test", [], cancellationToken);

    public Task<MessageResponse> PostMessageAsync(string channel, SlackMessage message, CancellationToken cancellationToken) =>
        JsonAsync<MessageResponse>("chat.postMessage", WithMessage(new JsonObject { ["channel"] = channel }, message), cancellationToken);

    public Task<MessageResponse> UpdateAsync(string channel, string ts, SlackMessage message, CancellationToken cancellationToken) =>
        JsonAsync<MessageResponse>("chat.update", WithMessage(new JsonObject { ["channel"] = channel, ["ts"] = ts }, message), cancellationToken);

    public Task<MessageResponse> PostEphemeralAsync(string channel, string user, SlackMessage message, CancellationToken cancellationToken) =>
        JsonAsync<MessageResponse>("chat.postEphemeral", WithMessage(new JsonObject { ["channel"] = channel, ["user"] = user }, message), cancellationToken);

    public Task<ChannelResponse> CreateConversationAsync(string name, bool isPrivate, CancellationToken cancellationToken) =>
        JsonAsync<ChannelResponse>("conversations.create", new JsonObject { ["name"] = name, ["is_private"] = isPrivate }, cancellationToken);

    public Task<ChannelResponse> InviteAsync(string channel, IReadOnlyList<string> users, CancellationToken cancellationToken) =>
        JsonAsync<ChannelResponse>("conversations.invite", new JsonObject { ["channel"] = channel, ["users"] = string.Join(',', users) }, cancellationToken);

    public Task<ChannelResponse> OpenConversationAsync(string user, CancellationToken cancellationToken) =>
        JsonAsync<ChannelResponse>("conversations.open", new JsonObject { ["users"] = user }, cancellationToken);

    public Task<ChannelResponse> SetTopicAsync(string channel, string topic, CancellationToken cancellationToken) =>
        JsonAsync<ChannelResponse>("conversations.setTopic", new JsonObject { ["channel"] = channel, ["topic"] = topic }, cancellationToken);

    public Task<HistoryResponse> HistoryAsync(string channel, string? cursor, int limit, CancellationToken cancellationToken) =>
        QueryAsync<HistoryResponse>("conversations.history", Args(("channel", channel), ("cursor", cursor), ("limit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture))), cancellationToken);

    public Task<SlackResponse> PinAsync(string channel, string ts, CancellationToken cancellationToken) =>
        JsonAsync<SlackResponse>("pins.add", new JsonObject { ["channel"] = channel, ["timestamp"] = ts }, cancellationToken);

    public Task<UserResponse> UserInfoAsync(string user, CancellationToken cancellationToken) =>
        QueryAsync<UserResponse>("users.info", Args(("user", user)), cancellationToken);

    public Task<UserResponse> LookupByEmailAsync(string email, CancellationToken cancellationToken) =>
        QueryAsync<UserResponse>("users.lookupByEmail", Args(("email", email)), cancellationToken);

    public Task<UploadUrlResponse> GetUploadUrlExternalAsync(string fileName, long length, CancellationToken cancellationToken) =>
        FormAsync<UploadUrlResponse>("files.getUploadURLExternal", Args(("filename", fileName), ("length", length.ToString(System.Globalization.CultureInfo.InvariantCulture))), _options.BotToken, cancellationToken);

    public async Task UploadToUrlAsync(string uploadUrl, byte[] content, CancellationToken cancellationToken)
    {
        using var response = await SendWithRetriesAsync("file upload", () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, uploadUrl) { Content = new ByteArrayContent(content) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return request;
        }, token: null, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new SlackApiException("file upload", $"HTTP {(int)response.StatusCode}");
        }
    }

    public Task<CompleteUploadResponse> CompleteUploadExternalAsync(string fileId, string title, string channel, string? initialComment, CancellationToken cancellationToken)
    {
        var args = new JsonObject
        {
            ["files"] = new JsonArray(new JsonObject { ["id"] = fileId, ["title"] = title }),
            ["channel_id"] = channel,
        };
        if (initialComment is not null)
        {
            args["initial_comment"] = initialComment;
        }

        return JsonAsync<CompleteUploadResponse>("files.completeUploadExternal", args, cancellationToken);
    }

    public Task<SlackResponse> OpenViewAsync(string triggerId, JsonObject view, CancellationToken cancellationToken) =>
        JsonAsync<SlackResponse>("views.open", new JsonObject { ["trigger_id"] = triggerId, ["view"] = view.DeepClone() }, cancellationToken);

    public Task<ConnectionResponse> OpenConnectionAsync(CancellationToken cancellationToken) =>
        FormAsync<ConnectionResponse>("apps.connections.open", [], _options.AppToken, cancellationToken);

    public async Task RespondAsync(string responseUrl, JsonObject payload, CancellationToken cancellationToken)
    {
        // One attempt, within the call timeout: a response_url is Slack's short-lived hook for one answer, and whoever
        // asked has had the acknowledgement already; a failure is logged by the caller.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(_options.CallTimeoutSeconds), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, responseUrl)
        {
            Content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        using var response = await http.SendAsync(request, linked.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw new SlackApiException("response_url", $"HTTP {(int)response.StatusCode}");
        }
    }

    private static JsonObject WithMessage(JsonObject args, SlackMessage message)
    {
        args["text"] = message.Text;
        args["blocks"] = message.Blocks.DeepClone();
        return args;
    }

    private static List<KeyValuePair<string, string>> Args(params (string Key, string? Value)[] args) =>
        args.Where(a => a.Value is not null).Select(a => new KeyValuePair<string, string>(a.Key, a.Value!)).ToList();

    private Task<T> JsonAsync<T>(string method, JsonObject args, CancellationToken cancellationToken) where T : SlackResponse =>
        SendAsync<T>(method, () => new HttpRequestMessage(HttpMethod.Post, Url(method))
        {
            Content = new StringContent(args.ToJsonString(), Encoding.UTF8, "application/json"),
        }, _options.BotToken, cancellationToken);

    private Task<T> FormAsync<T>(string method, List<KeyValuePair<string, string>> args, string token, CancellationToken cancellationToken) where T : SlackResponse =>
        SendAsync<T>(method, () => new HttpRequestMessage(HttpMethod.Post, Url(method)) { Content = new FormUrlEncodedContent(args) }, token, cancellationToken);

    private Task<T> QueryAsync<T>(string method, List<KeyValuePair<string, string>> args, CancellationToken cancellationToken) where T : SlackResponse
    {
        var query = string.Join('&', args.Select(a => $"{Uri.EscapeDataString(a.Key)}={Uri.EscapeDataString(a.Value)}"));
        return SendAsync<T>(method, () => new HttpRequestMessage(HttpMethod.Get, new Uri(Url(method) + "?" + query)), _options.BotToken, cancellationToken);
    }

    private string Url(string method) => _options.ApiUrl.TrimEnd('/') + "/" + method;

    private async Task<T> SendAsync<T>(string method, Func<HttpRequestMessage> build, string token, CancellationToken cancellationToken) where T : SlackResponse
    {
        using var response = await SendWithRetriesAsync(method, build, token, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new SlackApiException(method, $"HTTP {(int)response.StatusCode}");
        }

        T? body;
        try
        {
            body = await response.Content.ReadFromJsonAsync<T>(SlackJson.Options, cancellationToken);
        }
        catch (JsonException)
        {
            throw new SlackApiException(method, "invalid JSON in the answer");
        }

        if (body is null)
        {
            throw new SlackApiException(method, "empty answer");
        }

        if (!body.Ok)
        {
            throw new SlackApiException(method, body.Error ?? "unknown_error", body.Needed);
        }

        return body;
    }

    /// <summary>
    /// One call, each attempt limited to <see cref="SlackOptions.CallTimeoutSeconds"/> on the injected clock. HTTP 429
    /// waits Retry-After (up to <see cref="SlackOptions.MaxRateLimitRetries"/> times); a connection failure or a 5xx is
    /// retried up to <see cref="SlackOptions.MaxRetries"/> times, after Retry-After or a jittered backoff. A timeout is
    /// not retried (Slack may have done it: a second chat.postMessage would post twice); it surfaces as a
    /// <see cref="SlackApiException"/> ("no answer within n s"), so callers report it like any other failure.
    /// </summary>
    private async Task<HttpResponseMessage> SendWithRetriesAsync(string method, Func<HttpRequestMessage> build, string? token, CancellationToken cancellationToken)
    {
        var rateLimited = 0;
        var failures = 0;
        while (true)
        {
            using var request = build();
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(_options.CallTimeoutSeconds), time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, linked.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // A failure like any other for whoever called (they say what failed), never mistaken for a shutdown.
                throw new SlackApiException(method, $"no answer within {_options.CallTimeoutSeconds} s (not retried: Slack may have done it)");
            }
            catch (HttpRequestException e) when (failures < _options.MaxRetries && !cancellationToken.IsCancellationRequested)
            {
                failures++;
                var backoff = Backoff(failures);
                log.LogWarning("Slack {Method} failed to connect ({Problem}): retry {Retry} of {Max} in {Seconds:0.0} s", method, e.Message, failures, _options.MaxRetries, backoff.TotalSeconds);
                await Task.Delay(backoff, time, cancellationToken);
                continue;
            }

            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                if (rateLimited >= _options.MaxRateLimitRetries)
                {
                    response.Dispose();
                    throw new SlackApiException(method, "ratelimited");
                }

                rateLimited++;
                var wait = RetryAfter(response) ?? TimeSpan.FromSeconds(1);
                response.Dispose();
                log.LogWarning("Slack rate-limited {Method}: retrying in {Seconds} s", method, wait.TotalSeconds);
                await Task.Delay(wait, time, cancellationToken);
                continue;
            }

            if ((int)response.StatusCode >= 500 && failures < _options.MaxRetries)
            {
                failures++;
                var wait = RetryAfter(response) ?? Backoff(failures);
                log.LogWarning("Slack answered {Method} with HTTP {Status}: retry {Retry} of {Max} in {Seconds:0.0} s", method, (int)response.StatusCode, failures, _options.MaxRetries, wait.TotalSeconds);
                response.Dispose();
                await Task.Delay(wait, time, cancellationToken);
                continue;
            }

            return response;
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta < TimeSpan.Zero ? TimeSpan.Zero : delta > MaxRetryAfter ? MaxRetryAfter : delta,
            { Date: { } date } => date - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? (wait > MaxRetryAfter ? MaxRetryAfter : wait) : TimeSpan.Zero,
            _ => null,
        };

    /// <summary>
    /// Before retry <paramref name="retry"/> (1, 2, ...): equal jitter over 1, 2, 4 ... seconds up to 30, half fixed and
    /// half random, so many calls failing together don't come back together.
    /// </summary>
    public static TimeSpan Backoff(int retry)
    {
        var ceiling = Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Min(retry - 1, 10)));
        return TimeSpan.FromSeconds((ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2));
    }
}
