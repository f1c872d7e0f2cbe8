using IncidentBot.Core.Health;
using IncidentBot.Hosting.Operations;
using Prometheus;

namespace IncidentBot;

/// <summary>The operator's endpoints: liveness, readiness, Prometheus metrics; and the timing of Slack's acknowledgements.</summary>
public static class HealthApi
{
    public static WebApplication MapHealth(this WebApplication app)
    {
        // GET /healthz: 200 once the host has started (the endpoint is only reachable then). For restarts, not traffic.
        app.MapGet("/healthz", () => Results.Text("ok"));

        // GET /readyz: 200 when every check passes (storage, each configured chat platform's token, the scheduler), else 503.
        app.MapGet("/readyz", async (IEnumerable<IReadinessCheck> checks, CancellationToken cancellationToken) =>
        {
            var results = new List<object>();
            var ready = true;
            foreach (var check in checks)
            {
                var result = await check.CheckAsync(cancellationToken);
                ready &= result.Ready;
                results.Add(new { name = check.Name, ready = result.Ready, detail = result.Detail });
            }

            return Results.Json(new { ready, checks = results }, statusCode: ready ? 200 : 503);
        });

        var metrics = app.Services.GetRequiredService<BotMetrics>();
        var time = app.Services.GetRequiredService<TimeProvider>();
        app.MapMetrics("/metrics", metrics.Registry);
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/slack", out var rest))
            {
                await next(context);
                return;
            }

            var started = time.GetTimestamp();
            await next(context);
            var endpoint = rest.Value?.Trim('/') is "commands" or "interactions" or "events" ? rest.Value.Trim('/') : "other";
            metrics.SlackAck.WithLabels(endpoint).Observe(time.GetElapsedTime(started).TotalSeconds);
        });
        return app;
    }
}
