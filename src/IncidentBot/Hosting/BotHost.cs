using IncidentBot.Clerk;
using IncidentBot.Core;
using IncidentBot.Core.Escalation;
using IncidentBot.Core.Runbooks;
using IncidentBot.Core.Service;
using Serilog;
using Serilog.Events;
using IncidentBot.Storage;
using IncidentBot.Sync;

namespace IncidentBot.Hosting;

/// <summary>What the web host and the shell share: configuration, logging, the core and storage.</summary>
public static class BotHost
{
    public static T AddIncidentBot<T>(this T builder, string[] args, bool shell) where T : IHostApplicationBuilder
    {
        ConfigurationAliases.Apply(builder.Configuration, builder.Environment.ContentRootPath, args);

        builder.Services.AddSerilog((services, logger) =>
        {
            logger.ReadFrom.Configuration(builder.Configuration).ReadFrom.Services(services).Enrich.FromLogContext();
            // In the shell the terminal shows the conversation: only warnings and errors reach it, on standard error.
            logger.WriteTo.Console(
                restrictedToMinimumLevel: shell ? LogEventLevel.Warning : LogEventLevel.Verbose,
                standardErrorFromLevel: shell ? LogEventLevel.Verbose : null);
        });

        builder.Services.AddIncidentCore(builder.Configuration);
        builder.Services.AddIncidentStorage(builder.Configuration);
        builder.Services.AddClerk(builder.Configuration);
        builder.Services.AddSync(builder.Configuration);
        builder.Services.AddEscalation(builder.Configuration);
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DeadlineScheduler>());
        return builder;
    }

    /// <summary>
    /// Loads the runbooks and validates every options class before the host starts, so a mistake stops
    /// start-up with one line naming the file, step or key rather than a stack trace from the middle of it.
    /// </summary>
    public static T CheckStartup<T>(this T host) where T : IHost
    {
        host.Services.GetRequiredService<RunbookCatalog>();
        host.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
        return host;
    }
}
