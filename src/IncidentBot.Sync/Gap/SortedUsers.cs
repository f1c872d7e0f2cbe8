using System.Runtime.CompilerServices;
using IncidentBot.Sync.Sink;

namespace IncidentBot.Sync.Gap;

/// <summary>
/// Clerk's users re-sorted by id with bounded memory: Clerk can only page by creation time, the table is read by
/// Clerk id, and a merge join needs both in one order. Up to <c>runSize</c> users are sorted in memory; beyond that
/// each sorted run is spilled to a temporary file (deleted on dispose) and the runs are merged on read.
/// </summary>
public sealed class SortedUsers : IAsyncDisposable
{
    private readonly List<SyncUser>? _memory;
    private readonly List<string> _runs;
    private readonly string? _folder;

    private SortedUsers(List<SyncUser>? memory, List<string> runs, string? folder, long count)
    {
        _memory = memory;
        _runs = runs;
        _folder = folder;
        Count = count;
    }

    public long Count { get; }

    /// <summary>How many runs went to disk (0 when everything fit in memory).</summary>
    public int SpilledRuns => _runs.Count;

    public static async Task<SortedUsers> BuildAsync(IAsyncEnumerable<SyncUser> source, int runSize, CancellationToken cancellationToken)
    {
        runSize = Math.Max(1, runSize);
        var buffer = new List<SyncUser>(Math.Min(runSize, 4096));
        var runs = new List<string>();
        string? folder = null;
        long count = 0;
        try
        {
            await foreach (var user in source.WithCancellation(cancellationToken))
            {
                buffer.Add(user);
                count++;
                if (buffer.Count >= runSize)
                {
                    folder ??= Directory.CreateTempSubdirectory("incidentbot-sync-").FullName;
                    runs.Add(await SpillAsync(buffer, folder, runs.Count, cancellationToken));
                    buffer.Clear();
                }
            }

            if (runs.Count > 0 && buffer.Count > 0)
            {
                runs.Add(await SpillAsync(buffer, folder!, runs.Count, cancellationToken));
                buffer.Clear();
            }
        }
        catch
        {
            Delete(folder);
            throw;
        }

        if (runs.Count == 0)
        {
            buffer.Sort((a, b) => ClerkIdOrder.Compare(a.ClerkId, b.ClerkId));
            return new SortedUsers(buffer, runs, null, count);
        }

        return new SortedUsers(null, runs, folder, count);
    }

    /// <summary>Every user once, in <see cref="ClerkIdOrder"/>; a user seen twice in the walk comes out once.</summary>
    public async IAsyncEnumerable<SyncUser> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? last = null;
        await foreach (var user in MergedAsync(cancellationToken))
        {
            if (last is not null && last == user.ClerkId)
            {
                continue;
            }

            last = user.ClerkId;
            yield return user;
        }
    }

    private async IAsyncEnumerable<SyncUser> MergedAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (_memory is not null)
        {
            foreach (var user in _memory)
            {
                yield return user;
            }

            yield break;
        }

        var readers = _runs.Select(path => new BinaryReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))).ToList();
        try
        {
            var heap = new PriorityQueue<(SyncUser User, int Run), string>(ClerkIdOrder.Comparer);
            for (var i = 0; i < readers.Count; i++)
            {
                if (Read(readers[i]) is { } first)
                {
                    heap.Enqueue((first, i), first.ClerkId);
                }
            }

            while (heap.TryDequeue(out var item, out _))
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return item.User;
                if (Read(readers[item.Run]) is { } next)
                {
                    heap.Enqueue((next, item.Run), next.ClerkId);
                }
            }
        }
        finally
        {
            foreach (var reader in readers)
            {
                reader.Dispose();
            }
        }

        await Task.CompletedTask;
    }

    private static async Task<string> SpillAsync(List<SyncUser> buffer, string folder, int index, CancellationToken cancellationToken)
    {
        buffer.Sort((a, b) => ClerkIdOrder.Compare(a.ClerkId, b.ClerkId));
        var path = Path.Combine(folder, $"run-{index:D5}.bin");
        await using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        await using var writer = new BinaryWriter(stream);
        foreach (var user in buffer)
        {
            cancellationToken.ThrowIfCancellationRequested();
            writer.Write(user.ClerkId);
            WriteNullable(writer, user.Email);
            WriteNullable(writer, user.FirstName);
            WriteNullable(writer, user.LastName);
        }

        return path;
    }

    private static void WriteNullable(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    private static SyncUser? Read(BinaryReader reader)
    {
        if (reader.BaseStream.Position >= reader.BaseStream.Length)
        {
            return null;
        }

        return new SyncUser(reader.ReadString(), ReadNullable(reader), ReadNullable(reader), ReadNullable(reader));
    }

    private static string? ReadNullable(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;

    private static void Delete(string? folder)
    {
        if (folder is not null && Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public ValueTask DisposeAsync()
    {
        Delete(_folder);
        return ValueTask.CompletedTask;
    }
}
