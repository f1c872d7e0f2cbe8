namespace IncidentBot.Slack.Inbound;

/// <summary>
/// The largest body each Slack endpoint reads; a bigger one is answered 413 before (or as soon as) it is read. Slack's
/// payloads are small, and the limits are far above what Slack sends, yet small enough that 40 concurrent hostile
/// requests cost tens of megabytes rather than gigabytes (Kestrel's default is 28.6 MB each).
/// </summary>
public static class SlackBodyLimits
{
    /// <summary>
    /// <c>/slack/commands</c>: a dozen short form fields plus what the user typed after <c>/incident</c> (a message's
    /// worth at most). Real ones are under 1 KB.
    /// </summary>
    public const int Commands = 64 * 1024;

    /// <summary>
    /// <c>/slack/interactions</c>: the interaction payload carries the pressed message's blocks (our own cards, at most
    /// 50 blocks) or a modal's view (at most 100 blocks and 3,000 characters of metadata), JSON inside a urlencoded form.
    /// Real ones are 5-30 KB.
    /// </summary>
    public const int Interactions = 1024 * 1024;

    /// <summary>
    /// <c>/slack/events</c>: one event; the biggest we take is a message_changed, which carries a message (text up to
    /// 40,000 characters, plus its rich-text blocks) and its previous version. Real ones are 2-10 KB.
    /// </summary>
    public const int Events = 1024 * 1024;
}
