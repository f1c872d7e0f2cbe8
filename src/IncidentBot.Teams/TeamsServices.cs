using IncidentBot.Core;
using IncidentBot.Teams.Auth;
using IncidentBot.Teams.Bridge;
using IncidentBot.Teams.Connector;
using IncidentBot.Teams.Inbound;
using IncidentBot.Teams.Outbound;
using IncidentBot.Teams.Storage;
using IncidentBot.Teams.Views;
using LiteDB;
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
        var section = configuration.GetSection(TeamsOptions.Section);
        var settings = section.Get<TeamsOptions>() ?? new TeamsOptions();
        services.AddHostedService(sp => new TeamsStartupLog(settings, sp.GetRequiredService<ILogger<TeamsStartupLog>>()));
        if (!settings.Enabled)
        {
            return services;
        }

        services.AddOptions<TeamsOptions>().Bind(section)
            .ValidateDataAnnotations()
            .Validate(o => Guid.TryParse(o.AppId, out _), "Teams:AppId must be the bot's Microsoft App ID (a GUID)")
            .Validate(o => IsHttpUrl(o.OpenIdMetadataUrl), "Teams:OpenIdMetadataUrl must be an absolute http(s) URL")
            .Validate(o => IsHttpUrl(o.ResolvedTokenUrl), "Teams:TokenUrl must be an absolute http(s) URL")
            .Validate(o => o.IncidentChannelId.Length == 0 || o.IncidentChannelId.StartsWith("19:", StringComparison.Ordinal), "Teams:IncidentChannelId must be a Teams channel id (19:...@thread.tacv2)")
            .ValidateOnStart();

        services.AddSingleton(sp =>
        {
            var path = sp.GetRequiredService<IOptions<TeamsOptions>>().Value.StoragePath;
            var full = path == ":memory:" ? path : CoreServices.ContentPath(sp.GetService<IHostEnvironment>(), path);
            if (full != ":memory:" && Path.GetDirectoryName(Path.GetFullPath(full)) is { } folder)
            {
                Directory.CreateDirectory(folder);
            }

            return new TeamsStore(new LiteDatabase(full == ":memory:" ? new ConnectionString(":memory:") : new ConnectionString { Filename = full }));
        });

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
        services.AddSingleton<ActivityDeduper>();

        // The glue to Core: publications out, commands and presses in.
        services.AddSingleton<IChatSurface, TeamsSurface>();
        services.AddSingleton<TeamsPublisher>();
        services.AddSingleton<TeamsBridge>();
        services.AddHostedService<TeamsWorker>();
        return services;
    }

    private static bool IsHttpUrl(string url) => Uri.TryCreate(url, UriKind.Absolute, out var u) && (u.Scheme == "https" || u.Scheme == "http");
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
