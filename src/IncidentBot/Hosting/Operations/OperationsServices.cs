using IncidentBot.Core;
using IncidentBot.Core.Escalation;
using IncidentBot.Core.Health;
using IncidentBot.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IncidentBot.Hosting.Operations;

public static class OperationsServices
{
    /// <summary>What an operator sees: metrics (<see cref="BotMetrics"/>), readiness checks, and a log event per recorded fact.</summary>
    public static IServiceCollection AddOperations(this IServiceCollection services)
    {
        services.AddSingleton(sp => new BotMetrics(sp.GetRequiredService<LiteDbIncidentStore>()));
        services.Replace(ServiceDescriptor.Singleton<IIncidentStore>(sp =>
            new ObservedIncidentStore(sp.GetRequiredService<LiteDbIncidentStore>(), sp.GetRequiredService<BotMetrics>(), sp.GetRequiredService<ILogger<ObservedIncidentStore>>())));

        services.AddSingleton<IChatSurface, PageCounter>();
        services.Replace(ServiceDescriptor.Singleton<IPageFailures>(sp =>
            new PageFailureCounter(sp.GetRequiredService<PageFailures>(), sp.GetRequiredService<BotMetrics>(), sp.GetRequiredService<IIncidentStore>())));
        services.Replace(ServiceDescriptor.Singleton<Core.Messaging.IRoomDeliveryCounter, RoomDeliveryMetrics>());
        services.AddTransient<ClerkMetricsHandler>();
        services.AddHttpClient("IClerkClient").AddHttpMessageHandler<ClerkMetricsHandler>();
        services.AddSingleton<IReadinessCheck, SchedulerReadiness>();
        return services;
    }
}
