using System.Net;
using IncidentBot.Core;
using IncidentBot.Core.Incidents;
using IncidentBot.Hosting.Operations;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace IncidentBot.Tests.Hosting.Operations;

/// <summary>Clerk latency and 429s in /metrics: every attempt the Clerk client makes passes this handler.</summary>
public sealed class ClerkMetricsHandlerTests
{
    [Fact]
    public async Task EachClerkAttemptIsTimedByMethodAndStatusAndEach429IsCounted()
    {
        var time = new FakeTimeProvider();
        var store = Substitute.For<IIncidentStore>();
        store.List(default).ReturnsForAnyArgs([]);
        var metrics = new BotMetrics(store);
        var answers = new Queue<(HttpStatusCode Status, TimeSpan Takes)>([
            (HttpStatusCode.TooManyRequests, TimeSpan.FromMilliseconds(40)),
            (HttpStatusCode.OK, TimeSpan.FromMilliseconds(250)),
        ]);
        using var client = new HttpClient(new ClerkMetricsHandler(metrics, time) { InnerHandler = new Answering(time, answers) });

        (await client.GetAsync(new Uri("http://127.0.0.1:9/v1/users"))).Dispose();
        (await client.GetAsync(new Uri("http://127.0.0.1:9/v1/users"))).Dispose();

        var text = await ExportAsync(metrics);
        Assert.Contains("incidentbot_clerk_rate_limited_total 1\n", text, StringComparison.Ordinal);
        Assert.Contains("incidentbot_clerk_request_seconds_count{method=\"GET\",status=\"429\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("incidentbot_clerk_request_seconds_sum{method=\"GET\",status=\"429\"} 0.04\n", text, StringComparison.Ordinal);
        Assert.Contains("incidentbot_clerk_request_seconds_sum{method=\"GET\",status=\"200\"} 0.25\n", text, StringComparison.Ordinal);
    }

    private static async Task<string> ExportAsync(BotMetrics metrics)
    {
        using var stream = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Clerk as the handler sees it: each answer takes its time on the fake clock.</summary>
    private sealed class Answering(FakeTimeProvider time, Queue<(HttpStatusCode Status, TimeSpan Takes)> answers) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var (status, takes) = answers.Dequeue();
            time.Advance(takes);
            return Task.FromResult(new HttpResponseMessage(status));
        }
    }
}
