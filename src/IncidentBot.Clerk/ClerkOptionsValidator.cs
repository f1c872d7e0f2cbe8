using IncidentBot.Clerk.Webhooks;
using IncidentBot.Core.Settings;

namespace IncidentBot.Clerk;

/// <summary>Clerk: URLs, the key's form, and positive limits. An empty secret key is legal (Clerk steps then say so) but warned about.</summary>
public sealed class ClerkOptionsValidator : SettingsValidator<ClerkOptions>
{
    /// <summary>An absolute http or https URL.</summary>
    public static bool IsHttp(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    public override IEnumerable<SettingsFinding> Check(ClerkOptions options)
    {
        const string section = ClerkOptions.Section;
        foreach (var (key, url) in new[] { ("ApiUrl", options.ApiUrl), ("StatusUrl", options.StatusUrl) })
        {
            if (!IsHttp(url))
            {
                yield return SettingsFinding.Error($"{section}:{key} is not an absolute http(s) URL");
            }
        }

        if (options.SecretKey.Length > 0 && options.KeyEnvironment == "unknown")
        {
            yield return SettingsFinding.Error($"{section}:SecretKey does not start with sk_live_ or sk_test_; copy the secret key from the Clerk dashboard (API keys)");
        }

        if (options.WebhookSecret.Length > 0 && !SvixSignature.IsWellFormed(options.WebhookSecret))
        {
            yield return SettingsFinding.Error($"{section}:WebhookSecret is not a whsec_<base64> signing secret; copy it from the Clerk dashboard (Webhooks, the endpoint, Signing Secret)");
        }

        foreach (var (key, value) in new[] { ("ApiVersion", options.ApiVersion), ("UserAgent", options.UserAgent) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                yield return SettingsFinding.Error($"{section}:{key} is empty; leave it out to use the default");
            }
        }

        var positive = new (string Key, double Value)[]
        {
            ("RateLimit:LiveRequests", options.RateLimit.LiveRequests), ("RateLimit:TestRequests", options.RateLimit.TestRequests),
            ("RateLimit:WindowSeconds", options.RateLimit.WindowSeconds), ("Retry:MaxTotalSeconds", options.Retry.MaxTotalSeconds),
            ("Retry:AttemptTimeoutSeconds", options.Retry.AttemptTimeoutSeconds), ("Retry:BaseDelaySeconds", options.Retry.BaseDelaySeconds),
            ("Retry:MaxDelaySeconds", options.Retry.MaxDelaySeconds),
            ("Diagnose:ApiMilliseconds", options.Diagnose.ApiMilliseconds), ("Diagnose:AuthCheckMilliseconds", options.Diagnose.AuthCheckMilliseconds),
        };
        foreach (var (key, value) in positive.Where(p => p.Value <= 0))
        {
            yield return SettingsFinding.Error($"{section}:{key} is {value}; it must be positive");
        }

        if (options.Diagnose.Samples is < 20 or > 200)
        {
            yield return SettingsFinding.Error($"{section}:Diagnose:Samples is {options.Diagnose.Samples}; it must be 20 to 200 (with fewer, the p95 is just the slowest call)");
        }

        if (options.Diagnose.WarmUp is < 0 or > 5)
        {
            yield return SettingsFinding.Error($"{section}:Diagnose:WarmUp is {options.Diagnose.WarmUp}; it must be 0 to 5");
        }

        if (options.StatusWatchEvery != TimeSpan.Zero && options.StatusWatchEvery < TimeSpan.FromSeconds(15))
        {
            yield return SettingsFinding.Error($"{section}:StatusWatchEvery is {options.StatusWatchEvery}; it must be at least 00:00:15 (or 00:00:00 to turn the status watch off)");
        }

        if (options.RateLimit.Headroom is <= 0 or > 1)
        {
            yield return SettingsFinding.Error($"{section}:RateLimit:Headroom is {options.RateLimit.Headroom}; it must be above 0 and at most 1 (the share of Clerk's limit the bot uses)");
        }
    }
}
