using IncidentBot.Core.Approvals;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Commands.Handlers;
using IncidentBot.Core.People;
using IncidentBot.Core.Reports;
using IncidentBot.Core.Runbooks;
using IncidentBot.Core.Service;
using IncidentBot.Core.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace IncidentBot.Core;

public static class CoreServices
{
    /// <summary>The incident core: runbooks, the service, the command router and every command handler.</summary>
    public static IServiceCollection AddIncidentCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<RosterOptions, RosterOptionsValidator>(configuration, RosterOptions.Section);
        services.AddSettings<ReportOptions, ReportOptionsValidator>(configuration, ReportOptions.Section);
        services.AddSingleton<IPostConfigureOptions<ReportOptions>>(sp =>
            new PostConfigureOptions<ReportOptions>(Options.DefaultName, o => o.Path = ContentPath(sp.GetService<IHostEnvironment>(), o.Path)));
        services.AddSettings<RunbookOptions, RunbookOptionsValidator>(configuration, RunbookOptions.Section);

        services.AddSingleton(sp =>
        {
            var path = sp.GetRequiredService<IOptions<RunbookOptions>>().Value.Path;
            return new RunbookCatalog(RunbookLoader.LoadDirectory(ContentPath(sp.GetService<IHostEnvironment>(), path)));
        });
        services.TryAddTime();
        services.AddSingleton<IncidentLocks>();
        services.AddSingleton<StoreSeams>();
        services.AddSingleton<IIncidentRooms>(sp => sp.GetRequiredService<StoreSeams>());
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<StoreSeams>());
        services.AddSingleton<ITimelineRecorder>(sp => sp.GetRequiredService<StoreSeams>());
        services.AddSingleton<IncidentService>();
        services.AddSingleton<Messaging.IRoomProgress, RoomProgress>();
        services.TryAddSingleton<Messaging.IRoomDeliveryCounter, Messaging.UncountedDeliveries>();
        services.AddSingleton<CommandRouter>();

        services.AddSingleton<ICommandHandler, DeclareHandler>();
        services.AddSingleton<ICommandHandler, StatusHandler>();
        services.AddSingleton<ICommandHandler, ListHandler>();
        services.AddSingleton<ICommandHandler, SeverityHandler>();
        services.AddSingleton<ICommandHandler, CommanderHandler>();
        services.AddSingleton<ICommandHandler, NoteHandler>();
        services.AddSingleton<ICommandHandler, AffectedHandler>();
        services.AddSingleton<ICommandHandler, StepHandler>();
        services.AddSingleton<ICommandHandler, CancelHandler>();
        services.AddSingleton<ICommandHandler, TimelineHandler>();
        services.AddSingleton<ICommandHandler, ReportHandler>();
        foreach (var (spec, fire) in TransitionHandler.Transitions)
        {
            services.AddSingleton<ICommandHandler>(sp => new TransitionHandler(spec, fire, sp.GetRequiredService<IncidentService>()));
        }

        services.AddApprovals(configuration);
        return services;
    }

    /// <summary>A configured path: relative ones are relative to the content root (the repository root under dotnet run).</summary>
    public static string ContentPath(IHostEnvironment? environment, string path) =>
        Path.Combine(environment?.ContentRootPath ?? Directory.GetCurrentDirectory(), path);

    private static void TryAddTime(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
