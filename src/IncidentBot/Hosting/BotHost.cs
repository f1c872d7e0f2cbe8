using IncidentBot.Clerk;
using IncidentBot.Core;
using IncidentBot.Core.Escalation;
using IncidentBot.Core.Runbooks;
using IncidentBot.Core.Service;
using IncidentBot.Hosting.Operations;
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
        builder.Services.AddOperations();
        return builder;
    }

    /// <summary>
    /// Checks every setting and loads the runbooks before the host starts, so mistakes stop start-up with one line
    /// each naming the key, file or step (<see cref="StartupProblems"/>), all at once, rather than a stack trace.
    /// </summary>
    public static T CheckStartup<T>(this T host) where T : IHost
    {
        StartupCheck.Run(host.Services);
        try
        {
            host.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException e)
        {
            throw new StartupProblems(e.Failures.ToList());
        }

        return host;
    }
}
