using IncidentBot.Sync.Export;
using IncidentBot.Sync.Gap;
using IncidentBot.Sync.Resync;
using IncidentBot.Sync.Sink;
using IncidentBot.Sync.Wiring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncidentBot.Sync;

public static class SyncServices
{
    /// <summary>Options (validated at start-up), the engine, its start-up schema check, and the wiring into Core's checks and actions.</summary>
    public static IServiceCollection AddSync(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SyncOptions>().Bind(configuration.GetSection(SyncOptions.Section))
            .Validate(o => o.BatchSize is >= 1 and <= 500, "Sync:BatchSize must be 1 to 500 (Clerk's page limit)")
            .Validate(o => o.Walkers is >= 1 and <= 32, "Sync:Walkers must be 1 to 32")
            .Validate(o => o.Table.Length > 0 && o.Schema.Length > 0 && o.Columns.ClerkId.Length > 0, "Sync:Schema, Sync:Table and Sync:Columns:ClerkId can't be empty")
            .Validate(o => o.ProgressSeconds >= 0 && o.Examples >= 0 && o.SortRunSize >= 1, "Sync:ProgressSeconds and Sync:Examples can't be negative; Sync:SortRunSize must be positive")
            .Validate(o => o.ExportPath.Length > 0 && o.CheckpointPath.Length > 0, "Sync:ExportPath and Sync:CheckpointPath can't be empty")
            .ValidateOnStart();
        services.AddSingleton<SyncDatabase>();
        services.AddSingleton<SyncGap>();
        services.AddSingleton<SyncExport>();
        services.AddSingleton<SyncResync>();
        services.AddSingleton<SyncTableSetup>();
        services.AddSingleton<IResyncCheckpointStore>(sp => new JsonFileCheckpointStore(Path.GetFullPath(sp.GetRequiredService<IOptions<SyncOptions>>().Value.CheckpointPath)));
        services.AddHostedService<SyncStartupCheck>();
        SyncWiring.Register(services);
        return services;
    }
}

/// <summary>Checks the mapping against the database at start-up and logs each problem in one line (never the connection string).</summary>
public sealed class SyncStartupCheck(SyncDatabase db, ILogger<SyncStartupCheck> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!db.IsConfigured)
        {
            log.LogInformation("Data sync is off (Sync:ConnectionString is empty): sync.gap, sync.export and sync.resync will say so");
            return;
        }

        var report = await SyncSchema.CheckAsync(db, cancellationToken);
        foreach (var problem in report.Problems)
        {
            log.LogError("Data sync: {Problem}", problem);
        }

        if (report.Ok)
        {
            log.LogInformation("Data sync: {Table} fits the mapping; {WritePath}", db.Table.Qualified, report.Facts!.WritePath);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
