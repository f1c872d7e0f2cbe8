namespace IncidentBot.Slack.Inbound;

/// <summary>
/// Remembers event ids for longer than Slack's last retry (5 minutes), so a re-delivered event, over HTTP or
/// Socket Mode, is handled once. Also used for Socket Mode envelope ids. Bounded: at most 50,000 ids (about 5 MB).
/// </summary>
public sealed class SlackEventDeduper(TimeProvider time)
{
    private readonly RecentKeys _seen = new(time, TimeSpan.FromMinutes(10), capacity: 50_000);

    /// <summary>True the first time an id is seen, false for every repeat.</summary>
    public bool FirstTime(string id) => _seen.FirstTime(id);
}
