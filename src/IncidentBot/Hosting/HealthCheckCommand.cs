namespace IncidentBot.Hosting;

/// <summary><c>incidentbot healthcheck [url]</c>: exit 0 when the running bot's /healthz answers 200 (the container image has no curl).</summary>
public static class HealthCheckCommand
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var url = args.FirstOrDefault() ?? "http://127.0.0.1:8080/healthz";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(new Uri(url), cancellationToken);
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            return 1;
        }
    }
}
