using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Extensions.Options;

namespace IncidentBot.Clerk.Status;

public enum ServiceState
{
    Unknown,
    Operational,
    Degraded,
    Outage,
}

public sealed record StatusReport(ServiceState State, string Summary, IReadOnlyList<string> Details, string? Source);

/// <summary>
/// Reads Clerk's status page. Which provider runs it is not established, so it understands the Atlassian
/// Statuspage JSON (summary.json / status.json) and RSS and Atom feeds, and says Unknown when none of them parses:
/// never Operational by default.
/// </summary>
public sealed class StatusPageReader(HttpClient http, IOptions<ClerkOptions> options, TimeProvider time)
{
    public async Task<StatusReport> ReadAsync(CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        foreach (var url in Candidates(options.Value.StatusUrl))
        {
            // Configured URLs may carry credentials or a token: what is said about them is only scheme, host and path.
            var shown = Urls.Redact(url);
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10), time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
                using var response = await http.GetAsync(url, linked.Token);
                if (!response.IsSuccessStatusCode)
                {
                    problems.Add($"{shown}: HTTP {(int)response.StatusCode}");
                    continue;
                }

                var text = await response.Content.ReadAsStringAsync(linked.Token);
                if (Parse(text, time.GetUtcNow()) is { } report)
                {
                    return report with { Source = shown };
                }

                problems.Add($"{shown}: neither Statuspage JSON nor an RSS/Atom feed");
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                problems.Add($"{shown}: {(e is OperationCanceledException ? "no answer within 10 s" : e.Message)}");
            }
        }

        return new StatusReport(ServiceState.Unknown, "Clerk's status page could not be read, so its state is unknown.", problems, null);
    }

    public static IReadOnlyList<string> Candidates(string statusUrl)
    {
        var url = statusUrl.Trim();
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return [url];
        }

        var path = uri.AbsolutePath;
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".rss", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith(".atom", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
        {
            return [url];
        }

        // The page's own machine-readable forms, beside it; a query string (a token, say) stays at the end.
        string At(string suffix) => new UriBuilder(uri) { Path = path.TrimEnd('/') + suffix }.Uri.AbsoluteUri;
        return [At("/api/v2/summary.json"), At("/feed.rss"), At("/feed.atom")];
    }

    public static StatusReport? Parse(string text, DateTimeOffset now)
    {
        var trimmed = text.TrimStart();
        try
        {
            return trimmed.StartsWith('{') ? ParseStatuspage(trimmed) : trimmed.StartsWith('<') ? ParseFeed(trimmed, now) : null;
        }
        catch (Exception e) when (e is JsonException or System.Xml.XmlException or InvalidOperationException or KeyNotFoundException)
        {
            return null;
        }
    }

    private static StatusReport? ParseStatuspage(string json)
    {
        using var doc = JsonDocument.Parse(json);
        if (!doc.RootElement.TryGetProperty("status", out var status) || !status.TryGetProperty("indicator", out var indicator))
        {
            return null;
        }

        var state = indicator.GetString() switch
        {
            "none" => ServiceState.Operational,
            "minor" or "maintenance" => ServiceState.Degraded,
            "major" or "critical" => ServiceState.Outage,
            _ => ServiceState.Unknown,
        };
        var description = status.TryGetProperty("description", out var d) ? d.GetString() ?? "" : "";
        var details = new List<string>();
        if (doc.RootElement.TryGetProperty("components", out var components))
        {
            details.AddRange(components.EnumerateArray()
                .Where(c => c.TryGetProperty("status", out var s) && s.GetString() != "operational")
                .Select(c => $"{c.GetProperty("name").GetString()}: {c.GetProperty("status").GetString()?.Replace('_', ' ')}"));
        }

        if (doc.RootElement.TryGetProperty("incidents", out var incidents))
        {
            details.AddRange(incidents.EnumerateArray()
                .Select(i => $"Incident: {i.GetProperty("name").GetString()} ({(i.TryGetProperty("status", out var s) ? s.GetString() : "open")})"));
        }

        return new StatusReport(state, $"Status page: {description} (indicator {indicator.GetString()}).", details, null);
    }

    private static StatusReport? ParseFeed(string xml, DateTimeOffset now)
    {
        var doc = XDocument.Parse(xml);
        var root = doc.Root;
        if (root is null)
        {
            return null;
        }

        XNamespace atom = "http://www.w3.org/2005/Atom";
        IEnumerable<(string Title, string Text, DateTimeOffset? At)> items = root.Name.LocalName switch
        {
            "rss" => root.Element("channel")?.Elements("item").Select(i => (
                (string?)i.Element("title") ?? "",
                (string?)i.Element("description") ?? "",
                DateTimeOffset.TryParse((string?)i.Element("pubDate"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null)) ?? [],
            "feed" => root.Elements(atom + "entry").Select(e => (
                (string?)e.Element(atom + "title") ?? "",
                (string?)e.Element(atom + "content") ?? (string?)e.Element(atom + "summary") ?? "",
                DateTimeOffset.TryParse((string?)e.Element(atom + "updated"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null)),
            _ => throw new InvalidOperationException("not a feed"),
        };

        var latest = items.OrderByDescending(i => i.At ?? DateTimeOffset.MinValue).FirstOrDefault();
        if (latest.Title is null)
        {
            return new StatusReport(ServiceState.Unknown, "The status feed has no entries, so it can't tell.", [], null);
        }

        var when = latest.At is { } t ? $" ({t.UtcDateTime:yyyy-MM-dd HH:mm} UTC)" : "";
        var text = $"{latest.Title} {latest.Text}";
        var resolved = text.Contains("resolved", StringComparison.OrdinalIgnoreCase) || text.Contains("completed", StringComparison.OrdinalIgnoreCase);
        if (resolved)
        {
            return new StatusReport(ServiceState.Operational, $"Status feed: no open incident; the latest entry is resolved: {latest.Title}{when}.", [], null);
        }

        return latest.At is { } at && now - at < TimeSpan.FromHours(24)
            ? new StatusReport(ServiceState.Degraded, $"Status feed: an incident is open: {latest.Title}{when}.", [StripTags(latest.Text)], null)
            : new StatusReport(ServiceState.Unknown, $"Status feed: the latest entry is not marked resolved but is old or undated: {latest.Title}{when}.", [], null);
    }

    private static string StripTags(string html) =>
        System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", " ").Trim() is var s && s.Length > 300 ? s[..300] + "..." : s;
}
