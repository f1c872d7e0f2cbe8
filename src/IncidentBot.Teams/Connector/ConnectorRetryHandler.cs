using System.Net;
using Microsoft.Extensions.Options;

namespace IncidentBot.Teams.Connector;

/// <summary>
/// Retries a Connector call that Teams throttled or could not serve (429, 412, 500, 502, 503, 504: Teams' rate-limit
/// doc asks for 429, 412, 502 and 504), waiting Retry-After when the answer has one and exponential backoff with
/// jitter otherwise, each wait at most <see cref="TeamsOptions.MaxRetryDelaySeconds"/>, at most <see cref="TeamsOptions.MaxRetries"/> times.
/// </summary>
public sealed class ConnectorRetryHandler(IOptions<TeamsOptions> options, TimeProvider time) : DelegatingHandler
{
    private static readonly HttpStatusCode[] Retried =
        [HttpStatusCode.TooManyRequests, HttpStatusCode.PreconditionFailed, HttpStatusCode.InternalServerError, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        for (var attempt = 0; ; attempt++)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (!Retried.Contains(response.StatusCode) || attempt >= settings.MaxRetries)
            {
                return response;
            }

            var wait = Delay(response, attempt, TimeSpan.FromSeconds(settings.MaxRetryDelaySeconds));
            response.Dispose();
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    /// <summary>Retry-After (seconds or a date) when given, else 1 s, 2 s, 4 s, ... times a random 0.5 to 1.5; never more than <paramref name="max"/>.</summary>
    public TimeSpan Delay(HttpResponseMessage response, int attempt, TimeSpan max)
    {
        TimeSpan wait;
        if (response.Headers.RetryAfter?.Delta is { } delta)
        {
            wait = delta;
        }
        else if (response.Headers.RetryAfter?.Date is { } date)
        {
            wait = date - time.GetUtcNow();
        }
        else
        {
            wait = TimeSpan.FromSeconds(Math.Pow(2, attempt) * (0.5 + Random.Shared.NextDouble()));
        }

        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > max ? max : wait;
    }
}
