using IncidentBot.Core;
using IncidentBot.Core.Health;
using IncidentBot.Core.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace IncidentBot.Storage;

public static class StorageServices
{
    public static IServiceCollection AddIncidentStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<StorageOptions, StorageOptionsValidator>(configuration, StorageOptions.Section);
        services.AddSingleton<IPostConfigureOptions<StorageOptions>>(sp =>
            new PostConfigureOptions<StorageOptions>(Options.DefaultName, o => o.Path = o.Path is ":memory:" or "" ? o.Path : CoreServices.ContentPath(sp.GetService<IHostEnvironment>(), o.Path)));
        services.AddSingleton(sp => new LiteDbIncidentStore(sp.GetRequiredService<IOptions<StorageOptions>>().Value.Path));
        services.AddSingleton<IIncidentStore>(sp => sp.GetRequiredService<LiteDbIncidentStore>());
        services.AddSingleton<IPlatformRecords>(sp => new LiteDbPlatformRecords(sp.GetRequiredService<LiteDbIncidentStore>()));
        services.AddSingleton<IReadinessCheck, StorageReadiness>();
        services.AddHostedService<BackupListener>();
        return services;
    }
}
