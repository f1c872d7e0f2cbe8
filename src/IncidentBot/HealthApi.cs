namespace IncidentBot;

public static class HealthApi
{
    /// <summary><c>GET /healthz</c>: 200 once the host has started (the endpoint is only reachable then).</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok"));
        return app;
    }
}
