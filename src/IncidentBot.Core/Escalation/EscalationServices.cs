using IncidentBot.Core.Commands;
using IncidentBot.Core.Service;
using IncidentBot.Core.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IncidentBot.Core.Escalation;

public static class EscalationServices
{
    /// <summary>
    /// Escalation: the validated policy, the reactor that starts and stops chains, the escalate command, the ping
    /// and reminder deadlines, and the deadline scheduler they share with other deadline handlers. The host runs the
    /// scheduler: <c>services.AddHostedService(sp =&gt; sp.GetRequiredService&lt;DeadlineScheduler&gt;())</c>.
    /// </summary>
    public static IServiceCollection AddEscalation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<EscalationOptions, EscalationOptionsValidator>(configuration, EscalationOptions.Section);
        services.AddSingleton<EscalationPolicies>();

        services.AddSingleton<IIncidentReactor, EscalationReactor>();
        services.AddSingleton<ICommandHandler, EscalateHandler>();
        services.AddSingleton<PageFailures>();
        services.AddSingleton<IPageFailures>(sp => sp.GetRequiredService<PageFailures>());
        services.AddHostedService<PageFailureWorker>();
        services.AddSingleton<IDeadlineHandler, PingDeadline>();
        services.AddSingleton<IDeadlineHandler, StatusReminderDeadline>();
        services.AddSingleton<IDeadlineHandler, CommanderReminderDeadline>();

        // Shared with every other deadline handler (approval expiry, bypass reminders): registered once whoever comes first.
        services.TryAddSingleton<DeadlineSignal>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IIncidentReactor, DeadlineSignal>(sp => sp.GetRequiredService<DeadlineSignal>()));
        services.TryAddSingleton<DeadlineScheduler>();
        return services;
    }
}
