using System.Globalization;

namespace IncidentBot.Hosting.Operations;

/// <summary>Times each attempt to Clerk's Backend API (innermost handler: every retry is seen) and counts 429s.</summary>
public sealed class ClerkMetricsHandler(BotMetrics metrics, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var status = "error";
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            if ((int)response.StatusCode == 429)
            {
                metrics.ClerkRateLimited.Inc();
            }

            return response;
        }
        finally
        {
            metrics.ClerkRequests.WithLabels(request.Method.Method, status).Observe(time.GetElapsedTime(started).TotalSeconds);
        }
    }
}
