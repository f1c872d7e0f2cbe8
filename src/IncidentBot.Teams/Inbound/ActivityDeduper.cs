using System.Collections.Concurrent;

namespace IncidentBot.Teams.Inbound;

/// <summary>
/// Remembers the activities already handled for a while, so one the Bot Connector delivers again (it retries when the
/// bot was slow to answer) runs its command once. Keyed by conversation and activity id.
/// </summary>
public sealed class ActivityDeduper(TimeProvider time)
{
    private static readonly TimeSpan Keep = TimeSpan.FromMinutes(30);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);

    /// <summary>True the first time an activity is seen, false for every repeat.</summary>
    public bool FirstTime(string conversationId, string activityId)
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

        return _seen.TryAdd(conversationId + "|" + activityId, now);
    }
}
