using IncidentBot.Core.Health;
using Microsoft.Extensions.Options;

namespace IncidentBot.Storage;

/// <summary>Ready when the store answers a read.</summary>
public sealed class StorageReadiness(LiteDbIncidentStore store, IOptions<StorageOptions> options) : IReadinessCheck
{
    public string Name => "storage";

    public Task<Readiness> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(Readiness.Ok($"{store.Count} incidents in {Path.GetFileName(options.Value.Path)}"));
        }
        catch (Exception e) when (e is LiteDB.LiteException or IOException or ObjectDisposedException)
        {
            return Task.FromResult(Readiness.NotReady($"the store does not answer: {e.Message}"));
        }
    }
}
