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
        using var request = new HttpRequestMessage(HttpMethod.Post, uploadUrl) { Content = new ByteArrayContent(content) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await http.SendAsync(request, cancellationToken);
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
        using var request = new HttpRequestMessage(HttpMethod.Post, responseUrl)
        {
            Content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        using var response = await http.SendAsync(request, cancellationToken);
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
        for (var attempt = 0; ; attempt++)
        {
            using var request = build();
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                if (attempt >= _options.MaxRateLimitRetries)
                {
                    throw new SlackApiException(method, "ratelimited");
                }

                var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                log.LogWarning("Slack rate-limited {Method}: retrying in {Seconds} s", method, wait.TotalSeconds);
                await Task.Delay(wait, time, cancellationToken);
                continue;
            }

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
    }
}
