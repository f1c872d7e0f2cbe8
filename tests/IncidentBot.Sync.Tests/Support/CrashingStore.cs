using IncidentBot.Sync.Resync;

namespace IncidentBot.Sync.Tests.Support;

/// <summary>Dies on the n-th save (before saving: the batch is committed, its checkpoint lost), or cancels after the k-th.</summary>
public sealed class CrashingStore(IResyncCheckpointStore inner, int crashOnSave, (int After, CancellationTokenSource Source)? cancel) : IResyncCheckpointStore
{
    private int _saves;

    public Task<ResyncCheckpoint?> LoadAsync(string key, CancellationToken cancellationToken) => inner.LoadAsync(key, cancellationToken);

    public async Task SaveAsync(ResyncCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _saves) == crashOnSave)
        {
            throw new IOException("simulated crash before the checkpoint was written");
        }

        await inner.SaveAsync(checkpoint, cancellationToken);
        if (cancel is { } c && _saves == c.After)
        {
            await c.Source.CancelAsync();
        }
    }
}
