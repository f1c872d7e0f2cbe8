using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace IncidentBot.Slack.Inbound;

/// <summary>
/// Keys seen within the last <c>keep</c>, on the injected clock, bounded in memory: at most <c>capacity</c> keys, each
/// stored as 128 bits of its SHA-256 (so a long key costs no more than a short one); past the capacity the oldest are forgotten first.
/// </summary>
public sealed class RecentKeys(TimeProvider time, TimeSpan keep, int capacity)
{
    private readonly Dictionary<UInt128, DateTimeOffset> _seen = [];
    private readonly Queue<(UInt128 Key, DateTimeOffset At)> _order = new();
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _seen.Count;
            }
        }
    }

    /// <summary>True the first time <paramref name="key"/> is seen within the window (and remembers it), false for a repeat.</summary>
    public bool FirstTime(string key)
    {
        var hash = Hash(key);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            while (_order.TryPeek(out var oldest) && (now - oldest.At >= keep || _order.Count >= capacity))
            {
                _order.Dequeue();
                if (_seen.TryGetValue(oldest.Key, out var at) && at == oldest.At)
                {
                    _seen.Remove(oldest.Key);
                }
            }

            if (_seen.TryGetValue(hash, out var seenAt) && now - seenAt < keep)
            {
                return false;
            }

            _seen[hash] = now;
            _order.Enqueue((hash, now));
            return true;
        }
    }

    private static UInt128 Hash(string key)
    {
        var most = Encoding.UTF8.GetMaxByteCount(key.Length);
        var rented = most > 1024 ? ArrayPool<byte>.Shared.Rent(most) : null;
        try
        {
            Span<byte> utf8 = rented ?? stackalloc byte[1024];
            var length = Encoding.UTF8.GetBytes(key, utf8);
            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(utf8[..length], digest);
            return BinaryPrimitives.ReadUInt128LittleEndian(digest);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
