using System.Text.Json;
using JsonSerializer = System.Text.Json.JsonSerializer;
using LiteDB;

namespace IncidentBot.Sync.Resync;

/// <summary>Checkpoints in the bot's LiteDB file (collection <c>sync_checkpoints</c>), on the shared <see cref="LiteDatabase"/>.</summary>
public sealed class LiteDbCheckpointStore : IResyncCheckpointStore
{
    private readonly ILiteCollection<ResyncCheckpoint> _checkpoints;

    public LiteDbCheckpointStore(LiteDatabase db)
    {
        db.Mapper.Entity<ResyncCheckpoint>().Id(c => c.Key, autoId: false);
        _checkpoints = db.GetCollection<ResyncCheckpoint>("sync_checkpoints");
    }

    public Task<ResyncCheckpoint?> LoadAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult<ResyncCheckpoint?>(_checkpoints.FindById(key));

    public Task SaveAsync(ResyncCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        _checkpoints.Upsert(checkpoint);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Checkpoints as one JSON file per request in a folder (beside the bot's storage file), for when the LiteDB
/// instance isn't shared. Written to a temporary file and renamed, so a crash leaves the old or the new checkpoint.
/// </summary>
public sealed class JsonFileCheckpointStore(string folder) : IResyncCheckpointStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task<ResyncCheckpoint?> LoadAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            return null;
        }

        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<ResyncCheckpoint>(stream, Json, cancellationToken);
    }

    public async Task SaveAsync(ResyncCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var path = PathOf(checkpoint.Key);
        var temporary = path + ".tmp";
        await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
        {
            await JsonSerializer.SerializeAsync(stream, checkpoint, Json, cancellationToken);
        }

        File.Move(temporary, path, overwrite: true);
    }

    private string PathOf(string key) =>
        Path.Combine(folder, string.Concat(key.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')) + ".json");
}
