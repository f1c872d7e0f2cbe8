using IncidentBot.Clerk.Actions;
using IncidentBot.Clerk.Api;
using IncidentBot.Clerk.Checks;
using IncidentBot.Clerk.Commands;
using IncidentBot.Clerk.Http;
using IncidentBot.Clerk.Status;
using IncidentBot.Clerk.Webhooks;
using IncidentBot.Core.Approvals;
using IncidentBot.Core.Commands;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Clerk;

public static class ClerkServices
{
    /// <summary>The Clerk Backend API client, the checks and the actions the approval gate runs, and the named hooks.</summary>
    public static IServiceCollection AddClerk(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClerkOptions>().Bind(configuration.GetSection(ClerkOptions.Section))
            .Validate(o => IsHttpUrl(o.ApiUrl), "Clerk:ApiUrl must be an absolute http(s) URL")
            .Validate(o => o.SecretKey.Length == 0 || o.KeyEnvironment != "unknown", "Clerk:SecretKey must start with sk_live_ or sk_test_ (or be empty)")
            .Validate(o => IsHttpUrl(o.StatusUrl), "Clerk:StatusUrl must be an absolute http(s) URL")
            .Validate(o => o.StatusWatchEvery == TimeSpan.Zero || o.StatusWatchEvery >= TimeSpan.FromSeconds(15),
                "Clerk:StatusWatchEvery must be at least 00:00:15 (or 00:00:00 to turn the status watch off)")
            .Validate(o => o.WebhookSecret.Length == 0 || SvixSignature.IsWellFormed(o.WebhookSecret), "Clerk:WebhookSecret must be a whsec_<base64> signing secret (or empty)")
            .Validate(o => o.ApiVersion.Length > 0 && o.UserAgent.Length > 0, "Clerk:ApiVersion and Clerk:UserAgent can't be empty")
            .Validate(o => o.RateLimit.LiveRequests > 0 && o.RateLimit.TestRequests > 0 && o.RateLimit.WindowSeconds > 0 && o.RateLimit.Headroom is > 0 and <= 1,
                "Clerk:RateLimit needs positive LiveRequests, TestRequests and WindowSeconds, and Headroom in (0, 1]")
            .Validate(o => o.Retry.MaxTotalSeconds > 0 && o.Retry.AttemptTimeoutSeconds > 0 && o.Retry.BaseDelaySeconds > 0 && o.Retry.MaxDelaySeconds > 0,
                "Clerk:Retry values must be positive")
            .Validate(o => o.Diagnose.Samples is >= 20 and <= 200, "Clerk:Diagnose:Samples must be 20 to 200 (with fewer, the p95 is just the slowest call)")
            .Validate(o => o.Diagnose.WarmUp is >= 0 and <= 5 && o.Diagnose.ApiMilliseconds > 0 && o.Diagnose.AuthCheckMilliseconds > 0,
                "Clerk:Diagnose needs WarmUp 0 to 5 and positive ApiMilliseconds and AuthCheckMilliseconds")
            .ValidateOnStart();
        services.AddOptions<AppOptions>().Bind(configuration.GetSection(AppOptions.Section))
            .Validate(o => (o.HealthUrl.Length == 0 || IsHttpUrl(o.HealthUrl)) && (o.WebhookUrl.Length == 0 || IsHttpUrl(o.WebhookUrl)),
                "App:HealthUrl and App:WebhookUrl must be absolute http(s) URLs (or empty)")
            .ValidateOnStart();
        services.AddOptions<HooksOptions>().Bind(configuration)
            .Validate(o => o.Hooks.Values.All(h => h.Url.Length == 0 || IsHttpUrl(h.Url)), "Hooks:<name>:Url must be an absolute http(s) URL (or empty)")
            .Validate(o => o.Hooks.Values.All(h => h.Method.ToUpperInvariant() is "POST" or "PUT" or "PATCH" or "DELETE" or "GET"), "Hooks:<name>:Method must be POST, PUT, PATCH, DELETE or GET")
            .Validate(o => o.Hooks.Values.All(h => h.Bypass.ToLowerInvariant() is "" or "on" or "off"), "Hooks:<name>:Bypass must be on, off or empty")
            .Validate(o => o.Hooks.Values.All(h => h.Switch.Length == 0 ? h.Turns.Length == 0 : h.Turns.ToLowerInvariant() is "on" or "off"), "Hooks:<name>:Turns must be on or off when Hooks:<name>:Switch is set (and empty otherwise)")
            .Validate(o => o.Hooks.Values.All(h => h.TimeoutSeconds > 0), "Hooks:<name>:TimeoutSeconds must be positive")
            .ValidateOnStart();

        services.AddSingleton<ClerkRateLimiter>();
        services.AddTransient<ClerkRetryHandler>();
        services.AddTransient<ClerkRateLimitHandler>();
        services.AddTransient<ClerkCallRecorder>();
        services.AddHttpClient<IClerkClient, ClerkClient>()
            .AddHttpMessageHandler<ClerkRetryHandler>()
            .AddHttpMessageHandler<ClerkRateLimitHandler>()
            .AddHttpMessageHandler<ClerkCallRecorder>();
        services.AddHttpClient<StatusPageReader>(http => http.DefaultRequestHeaders.UserAgent.ParseAdd("IncidentBot/1.0"));
        services.AddHttpClient(ClerkChecks.AppClient, http => http.DefaultRequestHeaders.UserAgent.ParseAdd("IncidentBot/1.0"));
        services.AddHttpClient(HookActions.Client, http => http.DefaultRequestHeaders.UserAgent.ParseAdd("IncidentBot/1.0"));

        services.AddSingleton<ClerkAudit>();
        services.AddSingleton<ICheckRunner, ClerkChecks>();
        services.AddSingleton<IActionRunner, ClerkActions>();
        services.AddSingleton<IActionRunner, HookActions>();
        services.AddHostedService<ClerkStatusWatch>();
        services.AddSingleton<ICommandHandler, WebhookDashboardHandler>();
        return services;
    }

    private static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
}
