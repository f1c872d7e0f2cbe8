using IncidentBot.Core;
using IncidentBot.Core.Settings;
using IncidentBot.Teams.Auth;
using IncidentBot.Teams.Bridge;
using IncidentBot.Teams.Connector;
using IncidentBot.Teams.Inbound;
using IncidentBot.Teams.Outbound;
using IncidentBot.Teams.Storage;
using IncidentBot.Teams.Views;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncidentBot.Teams;

public static class TeamsServices
{
    /// <summary>
    /// The Teams adapter, on when <c>Teams:AppId</c>, <c>Teams:AppPassword</c> and <c>Teams:TenantId</c> are set (the
    /// start-up log says which): token check, Connector client, Adaptive Card renderer, the bridge to Core, the worker.
    /// </summary>
    public static IServiceCollection AddTeams(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<TeamsOptions, TeamsOptionsValidator>(configuration, TeamsOptions.Section);
        services.AddHostedService(sp => new TeamsStartupLog(sp.GetRequiredService<IOptions<TeamsOptions>>().Value, sp.GetRequiredService<ILogger<TeamsStartupLog>>()));

        // Whether Teams is on decides what is registered, before anything is bound: read the three keys as text (a
        // value elsewhere in the section that doesn't parse is reported by the start-up check, not thrown here).
        var section = configuration.GetSection(TeamsOptions.Section);
        var settings = new TeamsOptions { AppId = section["AppId"] ?? "", AppPassword = section["AppPassword"] ?? "", TenantId = section["TenantId"] ?? "" };
        if (!settings.Enabled)
        {
            return services;
        }

        // Conversation references and posted cards: collections in the storage file (IPlatformRecords, from AddIncidentStorage).
        services.AddSingleton<TeamsStore>();
        services.AddHttpClient(ConnectorKeys.Client, http => http.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<ConnectorKeys>();
        services.AddSingleton<ConnectorTokenValidator>();
        services.AddHttpClient(BotTokenProvider.Client, http => http.Timeout = TimeSpan.FromSeconds(15));
        services.AddSingleton<BotTokenProvider>();
        services.AddTransient<ConnectorRetryHandler>();
        services.AddHttpClient<IConnectorClient, ConnectorClient>(http => http.Timeout = TimeSpan.FromSeconds(100))
            .AddHttpMessageHandler<ConnectorRetryHandler>();

        services.AddSingleton<TeamsPeople>();
        services.AddSingleton<AdaptiveCardRenderer>();
        services.AddSingleton<TeamsSender>();
        services.AddSingleton<TeamsWorkQueue>();
        services.AddSingleton<ConversationReferences>();
        services.AddSingleton<TeamMembers>();
        services.AddSingleton<ActivityDeduper>();

        // The glue to Core: publications out, commands and presses in.
        services.AddSingleton<IChatSurface, TeamsSurface>();
        services.AddSingleton<TeamsPublisher>();
        services.AddSingleton<TeamsBridge>();
        services.AddHostedService<TeamsWorker>();
        return services;
    }
}

/// <summary>Says at start-up whether Teams is on, and where its keys and tokens come from (never the password).</summary>
internal sealed class TeamsStartupLog(TeamsOptions settings, ILogger<TeamsStartupLog> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!settings.Enabled)
        {
            log.LogInformation("Teams is off: set Teams:AppId, Teams:AppPassword and Teams:TenantId (MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppTenantId) to turn it on");
        }
        else
        {
            log.LogInformation("Teams is on at POST /api/messages for app {AppId}; keys from {OpenIdMetadataUrl}, tokens from {TokenUrl}", settings.AppId, settings.OpenIdMetadataUrl, settings.ResolvedTokenUrl);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
