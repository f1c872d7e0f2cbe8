using System.Buffers;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace IncidentBot.Clerk.Api;

/// <summary>The typed Backend API client. Retries, rate limiting and audit recording are message handlers around its HttpClient.</summary>
public sealed class ClerkClient : IClerkClient
{
    public const int MaxLimit = 500;
    public const int MaxBulkIds = 50;

    /// <summary>A body larger than this is refused (a page of 500 users with every property is about 1 MB).</summary>
    internal const int MaxBody = 32 * 1024 * 1024;

    private readonly HttpClient _http;
    private readonly Action<Http.ClerkCall>? _observer;
    private readonly TimeProvider _time;
    private readonly TimeSpan _bodyTimeout;

    public ClerkClient(HttpClient http, IOptions<ClerkOptions> options, TimeProvider? time = null)
    {
        var o = options.Value;
        _http = http;
        _time = time ?? TimeProvider.System;
        _bodyTimeout = TimeSpan.FromSeconds(o.Retry.AttemptTimeoutSeconds);
        _http.BaseAddress = new Uri(o.ApiUrl.EndsWith('/') ? o.ApiUrl : o.ApiUrl + "/");
        _http.Timeout = Timeout.InfiniteTimeSpan; // the retry handler times each attempt and bounds the total
        _http.DefaultRequestHeaders.Authorization = o.IsConfigured ? new AuthenticationHeaderValue("Bearer", o.SecretKey) : null;
        _http.DefaultRequestHeaders.Add("Clerk-API-Version", o.ApiVersion);
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(o.UserAgent);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    private ClerkClient(ClerkClient client, Action<Http.ClerkCall> observer)
    {
        _http = client._http;
        _time = client._time;
        _bodyTimeout = client._bodyTimeout;
        _observer = observer;
    }

    public IClerkClient Observed(Action<Http.ClerkCall> observer) => new ClerkClient(this, observer);

    public Task<IReadOnlyList<ClerkUser>> ListUsersAsync(UserQuery query, CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<ClerkUser>>(HttpMethod.Get, "users" + Query(UserFilters(query, paging: true)), null, cancellationToken);

    public async Task<long> CountUsersAsync(UserQuery query, CancellationToken cancellationToken) =>
        (await SendAsync<ClerkTotalCount>(HttpMethod.Get, "users/count" + Query(UserFilters(query, paging: false)), null, cancellationToken)).TotalCount;

    public Task<ClerkUser> GetUserAsync(string userId, CancellationToken cancellationToken) =>
        SendAsync<ClerkUser>(HttpMethod.Get, $"users/{Esc(userId)}", null, cancellationToken);

    public Task<ClerkUser> BanUserAsync(string userId, CancellationToken cancellationToken) =>
        SendAsync<ClerkUser>(HttpMethod.Post, $"users/{Esc(userId)}/ban", null, cancellationToken);

    public Task<ClerkUser> UnbanUserAsync(string userId, CancellationToken cancellationToken) =>
        SendAsync<ClerkUser>(HttpMethod.Post, $"users/{Esc(userId)}/unban", null, cancellationToken);

    public Task<IReadOnlyList<ClerkUser>> BanUsersAsync(IReadOnlyList<string> userIds, CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<ClerkUser>>(HttpMethod.Post, "users/ban", new UserIdsBody(Bulk(userIds)), cancellationToken);

    public Task<IReadOnlyList<ClerkUser>> UnbanUsersAsync(IReadOnlyList<string> userIds, CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<ClerkUser>>(HttpMethod.Post, "users/unban", new UserIdsBody(Bulk(userIds)), cancellationToken);

    public Task<ClerkUser> LockUserAsync(string userId, CancellationToken cancellationToken) =>
        SendAsync<ClerkUser>(HttpMethod.Post, $"users/{Esc(userId)}/lock", null, cancellationToken);

    public Task<ClerkUser> UnlockUserAsync(string userId, CancellationToken cancellationToken) =>
        SendAsync<ClerkUser>(HttpMethod.Post, $"users/{Esc(userId)}/unlock", null, cancellationToken);

    public Task<ClerkUser> SetPasswordCompromisedAsync(string userId, bool revokeAllSessions, CancellationToken cancellationToken) =>
        SendAsync<ClerkUser>(HttpMethod.Post, $"users/{Esc(userId)}/password/set_compromised", new SetPasswordCompromisedBody(revokeAllSessions), cancellationToken);

    public Task<SessionPage> ListSessionsAsync(string userId, string status, int limit, int offset, CancellationToken cancellationToken) =>
        SendAsync<SessionPage>(HttpMethod.Get, "sessions" + Query(
        [
            ("user_id", userId),
            ("status", status),
            ("paginated", "true"),
            ("limit", Math.Clamp(limit, 1, MaxLimit).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ]), null, cancellationToken);

    public Task<ClerkSession> RevokeSessionAsync(string sessionId, CancellationToken cancellationToken) =>
        SendAsync<ClerkSession>(HttpMethod.Post, $"sessions/{Esc(sessionId)}/revoke", null, cancellationToken);

    public Task<ClerkInstance> GetInstanceAsync(CancellationToken cancellationToken) =>
        SendAsync<ClerkInstance>(HttpMethod.Get, "instance", null, cancellationToken);

    public Task<ClerkJwks> GetJwksAsync(CancellationToken cancellationToken) =>
        SendAsync<ClerkJwks>(HttpMethod.Get, "jwks", null, cancellationToken);

    public Task<SvixDashboardUrl> CreateWebhookDashboardUrlAsync(CancellationToken cancellationToken) =>
        SendAsync<SvixDashboardUrl>(HttpMethod.Post, "webhooks/svix_url", null, cancellationToken);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (_observer is not null)
        {
            request.Options.Set(Http.ClerkCallLog.Observer, _observer);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: ClerkJson.Options);
        }

        // Headers first: the body is read into a pooled buffer below, not into a new array (two, with a copy) per
        // answer; a page of users is past the large-object threshold, and a resync's pages kept the GC busy.
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, path, cancellationToken);
        }

        // The retry handler times an attempt until its headers; the body gets as long again.
        using var timeout = new CancellationTokenSource(_bodyTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await ReadAsync<T>(response.Content, path, linked.Token) ?? throw new JsonException($"Clerk answered {path} with an empty body");
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ClerkUnavailableException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Clerk's answer to {path} stopped arriving: its body was not complete {_bodyTimeout.TotalSeconds:0.#} s after its headers."), 1, e);
        }
    }

    /// <summary>
    /// The body parsed in one pass from its bytes, read into a buffer from the shared pool: as a stream the serializer
    /// reads each user twice (once ahead, to hand <see cref="ClerkUserJson"/> a whole object), which made a page of
    /// 500 full users slower to parse than its bytes (bench/IncidentBot.Sync.Bench parse-ab).
    /// </summary>
    private static async Task<T?> ReadAsync<T>(HttpContent content, string path, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentType?.CharSet is { } charset && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            return await content.ReadFromJsonAsync<T>(ClerkJson.Options, cancellationToken); // transcodes
        }

        var length = content.Headers.ContentLength;
        if (length > MaxBody)
        {
            throw new JsonException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Clerk's answer to {path} is {length:N0} bytes, more than the {MaxBody:N0} the client reads."));
        }

        var buffer = ArrayPool<byte>.Shared.Rent(length is > 0 ? (int)length + 1 : 64 * 1024);
        try
        {
            await using var stream = await content.ReadAsStreamAsync(cancellationToken);
            var filled = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0)
            {
                filled += read;
                if (filled == buffer.Length)
                {
                    if (filled >= MaxBody)
                    {
                        throw new JsonException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Clerk's answer to {path} is more than the {MaxBody:N0} bytes the client reads."));
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
            }

            return JsonSerializer.Deserialize<T>(buffer.AsSpan(0, filled), ClerkJson.Options);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal static async Task<ClerkApiException> ErrorAsync(HttpResponseMessage response, string path, CancellationToken cancellationToken)
    {
        ClerkErrorBody? body = null;
        try
        {
            body = await response.Content.ReadFromJsonAsync<ClerkErrorBody>(ClerkJson.Options, cancellationToken);
        }
        catch (JsonException)
        {
            // Not Clerk's error shape (a proxy's HTML page, say): keep the status.
        }

        var retryAfter = response.Headers.RetryAfter?.Delta;
        return new ClerkApiException(response.StatusCode, body?.Errors ?? [], body?.ClerkTraceId ?? TraceHeader(response), retryAfter, path);
    }

    internal static string? TraceHeader(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Clerk-Trace-Id", out var trace) ? trace.FirstOrDefault()
        : response.Headers.TryGetValues("cf-ray", out var ray) ? ray.FirstOrDefault()
        : null;

    private static IReadOnlyList<string> Bulk(IReadOnlyList<string> ids) =>
        ids.Count is > 0 and <= MaxBulkIds ? ids : throw new ArgumentException($"Bulk ban/unban takes 1 to {MaxBulkIds} ids, not {ids.Count}", nameof(ids));

    private static List<(string, string)> UserFilters(UserQuery q, bool paging)
    {
        var pairs = new List<(string, string)>();
        pairs.AddRange((q.EmailAddresses ?? []).Select(e => ("email_address", e)));
        pairs.AddRange((q.UserIds ?? []).Select(u => ("user_id", u)));
        if (q.Banned is { } banned)
        {
            pairs.Add(("banned", banned ? "true" : "false"));
        }

        if (q.CreatedAfter is { } after)
        {
            pairs.Add(("created_at_after", after.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (q.CreatedBefore is { } before)
        {
            pairs.Add(("created_at_before", before.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (paging && q.Limit is { } limit)
        {
            pairs.Add(("limit", Math.Clamp(limit, 1, MaxLimit).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (paging && q.StartingAfter is { } cursor)
        {
            pairs.Add(("starting_after", cursor));
        }

        if (paging && q.OldestFirst)
        {
            pairs.Add(("order_by", "+created_at"));
        }

        return pairs;
    }

    private static string Query(IReadOnlyList<(string Key, string Value)> pairs) =>
        pairs.Count == 0 ? "" : "?" + string.Join('&', pairs.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));

    private static string Esc(string segment) => Uri.EscapeDataString(segment);
}
