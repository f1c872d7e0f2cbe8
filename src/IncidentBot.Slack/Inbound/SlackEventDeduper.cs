using System.Collections.Concurrent;

namespace IncidentBot.Slack.Inbound;

/// <summary>
/// Remembers event ids for longer than Slack's last retry (5 minutes), so a re-delivered event, over HTTP or
/// Socket Mode, is handled once. Also used for Socket Mode envelope ids.
/// </summary>
public sealed class SlackEventDeduper(TimeProvider time)
{
    private static readonly TimeSpan Keep = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);

    /// <summary>True the first time an id is seen, false for every repeat.</summary>
    public bool FirstTime(string id)
    {
        var now = time.GetUtcNow();
        if (_seen.Count > 1000)
        {
            foreach (var (key, at) in _seen)
            {
                if (now - at > Keep)
                {
                    _seen.TryRemove(key, out _);
                }
            }
        }

        return _seen.TryAdd(id, now);
    }
}
