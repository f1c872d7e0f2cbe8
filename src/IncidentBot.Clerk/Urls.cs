namespace IncidentBot.Clerk;

public static class Urls
{
    /// <summary>How a configured URL may appear in chat, the audit log and reports: scheme, host and path only, since a query string or user info may carry a token.</summary>
    public static string Redact(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Host}{(uri.IsDefaultPort ? "" : $":{uri.Port}")}{uri.AbsolutePath}" : "(not a valid absolute URL)";
}
