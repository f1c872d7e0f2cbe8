using System.Net;
using IncidentBot.Clerk.Api;
using Microsoft.Extensions.Options;

namespace IncidentBot.Clerk.Http;

/// <summary>
/// 429 waits Retry-After; 5xx, connection failures and attempt timeouts retry with jittered exponential backoff.
/// All of it stays within <see cref="ClerkRetryOptions.MaxTotalSeconds"/>: past that the last answer is returned
/// (and becomes a <see cref="ClerkApiException"/>) or <see cref="ClerkUnavailableException"/> is thrown.
/// Ban, unban, lock, unlock and revoke are idempotent in effect, so POSTs are retried too.
/// </summary>
public sealed class ClerkRetryHandler(IOptions<ClerkOptions> options, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var retry = options.Value.Retry;
        var budget = TimeSpan.FromSeconds(retry.MaxTotalSeconds);
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var started = time.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            var copy = Copy(request, body);
            HttpResponseMessage? response = null;
            string failure;
            Exception? error = null;
            try
            {
                // The attempt's timeout starts once it has its rate-limit permit (ClerkRateLimitHandler).
                response = await base.SendAsync(copy, cancellationToken);
                if (response.StatusCode != HttpStatusCode.TooManyRequests && (int)response.StatusCode < 500)
                {
                    return response;
                }

                failure = $"HTTP {(int)response.StatusCode}";
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                failure = $"no answer within {retry.AttemptTimeoutSeconds:0.#} s";
                error = e;
            }
            catch (HttpRequestException e)
            {
                failure = $"connection failed ({e.Message})";
                error = e;
            }

            var delay = RetryAfter(response) ?? Backoff(attempt, retry);
            var elapsed = time.GetElapsedTime(started);
            if (elapsed + delay > budget)
            {
                return response ?? throw new ClerkUnavailableException(
                    $"Clerk could not be reached: {failure}, {attempt} attempt{(attempt == 1 ? "" : "s")} over {elapsed.TotalSeconds:0} s.", attempt, error);
            }

            response?.Dispose();
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage? response) =>
        response?.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
            _ => null,
        };

    internal static TimeSpan Backoff(int attempt, ClerkRetryOptions retry)
    {
        var ceiling = Math.Min(retry.MaxDelaySeconds, retry.BaseDelaySeconds * Math.Pow(2, attempt - 1));
        // Equal jitter: half fixed, half random, so concurrent clients spread out but never retry at once.
        return TimeSpan.FromSeconds(ceiling / 2 + (Random.Shared.NextDouble() * ceiling / 2));
    }

    private static HttpRequestMessage Copy(HttpRequestMessage request, byte[]? body)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version };
        if (request.Options.TryGetValue(ClerkCallLog.Observer, out var observer))
        {
            copy.Options.Set(ClerkCallLog.Observer, observer);
        }

        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (body is not null)
        {
            copy.Content = new ByteArrayContent(body);
            foreach (var header in request.Content!.Headers)
            {
                copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        return copy;
    }
}
