using IncidentBot.Clerk.Actions;
using IncidentBot.Clerk.Api;
using IncidentBot.Clerk.Checks;
using IncidentBot.Clerk.Commands;
using IncidentBot.Clerk.Http;
using IncidentBot.Clerk.Status;
using IncidentBot.Clerk.Webhooks;
using IncidentBot.Core.Approvals;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Clerk;

public static class ClerkServices
{
    /// <summary>The Clerk Backend API client, the checks and the actions the approval gate runs, and the named hooks.</summary>
    public static IServiceCollection AddClerk(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<ClerkOptions, ClerkOptionsValidator>(configuration, ClerkOptions.Section);
        services.AddSettings<AppOptions, AppOptionsValidator>(configuration, AppOptions.Section);
        services.AddSettings<HooksOptions, HooksOptionsValidator>(configuration, "Hooks", typeof(Dictionary<string, HookOptions>));

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
}
