using IncidentBot.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace IncidentBot.Storage;

public static class StorageServices
{
    public static IServiceCollection AddIncidentStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section))
            .Validate(o => o.Path.Length > 0, "Storage:Path is empty").ValidateOnStart();
        services.AddSingleton<IIncidentStore>(sp =>
        {
            var path = sp.GetRequiredService<IOptions<StorageOptions>>().Value.Path;
            return new LiteDbIncidentStore(path == ":memory:" ? path : CoreServices.ContentPath(sp.GetService<IHostEnvironment>(), path));
        });
        return services;
    }
}
