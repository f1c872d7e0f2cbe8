namespace IncidentBot.Clerk;

/// <summary>Section <c>Clerk</c>: the Backend API, its limits, and Clerk's status page and webhook secret.</summary>
public sealed class ClerkOptions
{
    public const string Section = "Clerk";

    /// <summary>The Backend API base URL, ending in /v1/.</summary>
    public string ApiUrl { get; set; } = "https://api.clerk.com/v1/";

    /// <summary>The instance's secret key (sk_live_... or sk_test_...). Empty: Clerk checks and actions say Clerk is not configured.</summary>
    public string SecretKey { get; set; } = "";

    /// <summary>Sent as Clerk-API-Version.</summary>
    public string ApiVersion { get; set; } = "2026-05-12";

    public string UserAgent { get; set; } = "IncidentBot/1.0 (+https://github.com/incidentbot; incident response)";

    /// <summary>Clerk's status page: a base URL (summary.json, then feed.rss and feed.atom are tried) or a .json/.rss/.atom URL.</summary>
    public string StatusUrl { get; set; } = "https://status.clerk.com";

    /// <summary>How often the status watch reads the status page while an auth-outage or performance incident is open; 00:00:00 turns it off.</summary>
    public TimeSpan StatusWatchEvery { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The signing secret (whsec_...) of the app's Clerk webhook endpoint, for clerk.webhook-probe.</summary>
    public string WebhookSecret { get; set; } = "";

    public ClerkRateLimitOptions RateLimit { get; set; } = new();

    public ClerkRetryOptions Retry { get; set; } = new();

    public ClerkDiagnoseOptions Diagnose { get; set; } = new();

    public bool IsConfigured => SecretKey.Length > 0;

    /// <summary>"production" for sk_live_/live_ keys, "development" for sk_test_/test_, else "unknown". Never the key itself.</summary>
    public string KeyEnvironment =>
        SecretKey.StartsWith("sk_live_", StringComparison.Ordinal) || SecretKey.StartsWith("live_", StringComparison.Ordinal) ? "production"
        : SecretKey.StartsWith("sk_test_", StringComparison.Ordinal) || SecretKey.StartsWith("test_", StringComparison.Ordinal) ? "development"
        : "unknown";
}

/// <summary>Clerk limits Backend API calls per secret key: 1000 per 10 s in production, 100 per 10 s in development.</summary>
public sealed class ClerkRateLimitOptions
{
    public int LiveRequests { get; set; } = 1000;

    public int TestRequests { get; set; } = 100;

    public double WindowSeconds { get; set; } = 10;

    /// <summary>The share of the limit the bot uses, leaving room for other clients of the same key (0..1].</summary>
    public double Headroom { get; set; } = 0.9;

    public int PermitsFor(string environment) =>
        Math.Max(1, (int)((environment == "production" ? LiveRequests : TestRequests) * Headroom));
}

/// <summary>429 waits Retry-After; 5xx, connection failures and timeouts are retried with jittered backoff, all within a total budget.</summary>
public sealed class ClerkRetryOptions
{
    /// <summary>Give up when the next wait would pass this many seconds since the first attempt.</summary>
    public double MaxTotalSeconds { get; set; } = 120;

    /// <summary>One attempt's timeout, in seconds.</summary>
    public double AttemptTimeoutSeconds { get; set; } = 10;

    public double BaseDelaySeconds { get; set; } = 0.5;

    public double MaxDelaySeconds { get; set; } = 15;
}

/// <summary>
/// clerk.diagnose: how many calls, and the seed's thresholds. The verdict is each endpoint's p95 (nearest rank): with the
/// default 20 samples that is the 19th fastest, so one stray slow call can't set it, and a cold first call is thrown away.
/// </summary>
public sealed class ClerkDiagnoseOptions
{
    /// <summary>Timed calls per endpoint (20 to 200).</summary>
    public int Samples { get; set; } = 20;

    /// <summary>Calls per endpoint made first and thrown away (connection set-up, TLS, cold caches); 0 to 5.</summary>
    public int WarmUp { get; set; } = 1;

    /// <summary>The seed's "API slow - check Clerk status or network" threshold, for the Backend API read and JWKS, in ms.</summary>
    public double ApiMilliseconds { get; set; } = 500;

    /// <summary>The seed's "auth check slow - check middleware configuration" threshold, for the app's health URL, in ms.</summary>
    public double AuthCheckMilliseconds { get; set; } = 100;
}

/// <summary>Section <c>App</c>: the application the bot watches.</summary>
public sealed class AppOptions
{
    public const string Section = "App";

    /// <summary>The app's health endpoint, for app.health and clerk.diagnose.</summary>
    public string HealthUrl { get; set; } = "";

    /// <summary>The app's Clerk webhook endpoint, for clerk.webhook-probe.</summary>
    public string WebhookUrl { get; set; } = "";
}

/// <summary>Section <c>Hooks</c>: named HTTP calls (<c>Hooks:&lt;name&gt;:Url</c>, <c>Method</c>, <c>Secret</c>, ...).</summary>
public sealed class HooksOptions
{
    public Dictionary<string, HookOptions> Hooks { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

public sealed class HookOptions
{
    public string Url { get; set; } = "";

    public string Method { get; set; } = "POST";

    /// <summary>Signs the body: header X-IncidentBot-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "t.body"&gt;.</summary>
    public string Secret { get; set; } = "";

    /// <summary>Destructive hooks can't be approved by their requester.</summary>
    public bool Destructive { get; set; } = true;

    /// <summary>"on" or "off" for the emergency bypass hooks; empty for others. Short for Switch = emergency-bypass with Turns = on or off.</summary>
    public string Bypass { get; set; } = "";

    /// <summary>The named switch this hook turns on or off (webhook-pause, say): the incident tracks it, reminds while it is on and can't end until it is off.</summary>
    public string Switch { get; set; } = "";

    /// <summary>"on" or "off": what this hook does to its <see cref="Switch"/>.</summary>
    public string Turns { get; set; } = "";

    /// <summary>The switch and direction, from <see cref="Switch"/>/<see cref="Turns"/> or the <see cref="Bypass"/> shorthand; null for a plain hook.</summary>
    public (string Name, string Turns)? Switches =>
        Switch.Length > 0 ? (Switch.ToLowerInvariant(), Turns.ToLowerInvariant())
        : Bypass.Length > 0 ? ("emergency-bypass", Bypass.ToLowerInvariant())
        : null;

    public double TimeoutSeconds { get; set; } = 10;
}
