using IncidentBot.Core;
using IncidentBot.Storage;
using Microsoft.Extensions.Options;

namespace IncidentBot.Hosting;

/// <summary><c>incidentbot backup &lt;path&gt;</c>: reads the same settings as the bot to find its storage file, then copies it.</summary>
public static class BackupCommand
{
    public static async Task<string> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            throw new StartupProblems(["backup needs a path: incidentbot backup <path>, e.g. backup data/backups/incidentbot-2026-12-01.db"]);
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args[1..], ContentRootPath = Directory.GetCurrentDirectory() });
        ConfigurationAliases.Apply(builder.Configuration, builder.Environment.ContentRootPath, args[1..]);
        builder.Services.AddIncidentStorage(builder.Configuration);
        using var host = builder.Build();
        var database = host.Services.GetRequiredService<IOptions<StorageOptions>>().Value.Path;
        return await StorageBackup.RunAsync(database, args[0], cancellationToken);
    }
}
