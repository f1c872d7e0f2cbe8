using IncidentBot.Core;
using IncidentBot.Core.Approvals;
using IncidentBot.Core.Health;
using IncidentBot.Core.Settings;
using IncidentBot.Slack.Api;
using IncidentBot.Slack.Handlers;
using IncidentBot.Slack.Inbound;
using IncidentBot.Slack.Outbound;
using IncidentBot.Slack.SocketMode;
using IncidentBot.Slack.Views;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack;

public static class SlackServices
{
    /// <summary>
    /// The Slack adapter, on when <c>Slack:BotToken</c> and <c>Slack:SigningSecret</c> are set (the start-up log says
    /// which): the Web API client, the surface, the handlers, the worker, and Socket Mode when <c>Slack:AppToken</c> is set.
    /// </summary>
    public static IServiceCollection AddSlack(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<SlackOptions, SlackOptionsValidator>(configuration, SlackOptions.Section);
        services.AddHostedService(sp => new SlackStartupLog(sp.GetRequiredService<IOptions<SlackOptions>>().Value, sp.GetRequiredService<ILogger<SlackStartupLog>>()));

        // Whether Slack is on decides what is registered, before anything is bound: read the two keys as text (a
        // value elsewhere in the section that doesn't parse is reported by the start-up check, not thrown here).
        var section = configuration.GetSection(SlackOptions.Section);
        var settings = new SlackOptions { BotToken = section["BotToken"] ?? "", SigningSecret = section["SigningSecret"] ?? "", AppToken = section["AppToken"] ?? "" };
        if (!settings.Enabled)
        {
            return services;
        }

        services.AddHttpClient<ISlackApi, SlackApiClient>();
        services.AddSingleton<IReadinessCheck, SlackReadiness>();
        services.AddSingleton<SlackPeople>();
        services.AddSingleton<BlockKitRenderer>();
        services.AddSingleton<SlackWorkQueue>();
        services.AddHostedService<SlackWorker>();
        services.AddSingleton<SlackPublisher>();
        services.AddSingleton<IChatSurface, SlackSurface>();
        services.AddSingleton<IRoomPrivacy, SlackRoomPrivacy>();

        services.AddSingleton<SlackRequestReader>();
        services.AddSingleton<SlackEventDeduper>();
        services.AddSingleton<SlackDispatcher>();
        services.AddSingleton<AckBudget>();
        services.AddSingleton<ISlackHandler, SlashCommandHandler>();
        services.AddSingleton<PressOutcome>();
        services.AddSingleton<ISlackHandler, BlockActionsHandler>();
        services.AddSingleton<ISlackHandler, ViewSubmissionHandler>();
        services.AddSingleton<ISlackHandler, MessageEventHandler>();

        if (settings.SocketMode)
        {
            services.AddHostedService<SocketModeClient>();
        }

        return services;
    }
}

/// <summary>Says at start-up whether Slack is on, and how it is reached.</summary>
internal sealed class SlackStartupLog(SlackOptions settings, ILogger<SlackStartupLog> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!settings.Enabled)
        {
            log.LogInformation("Slack is off: set Slack:BotToken and Slack:SigningSecret (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET) to turn it on");
        }
        else
        {
            log.LogInformation("Slack is on, over {Transport}; Web API at {ApiUrl}", settings.SocketMode ? "Socket Mode" : "HTTP (/slack/commands, /slack/interactions, /slack/events)", settings.ApiUrl);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
