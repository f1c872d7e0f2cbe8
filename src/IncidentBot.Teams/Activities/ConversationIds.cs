namespace IncidentBot.Teams.Activities;

/// <summary>
/// Teams conversation ids: a channel is <c>19:...@thread.tacv2</c>, a thread in it <c>19:...@thread.tacv2;messageid=&lt;root id&gt;</c>,
/// a group chat <c>19:...@thread.v2</c>, a 1:1 chat <c>a:...</c>. They hold ':', '@' and ';', so they are
/// percent-encoded as one path segment in Connector URLs.
/// </summary>
public static class ConversationIds
{
    private const string MessageIdMarker = ";messageid=";

    /// <summary>The conversation without its thread part: the channel for a thread, the id itself otherwise.</summary>
    public static string Base(string conversationId)
    {
        var at = conversationId.IndexOf(MessageIdMarker, StringComparison.OrdinalIgnoreCase);
        return at < 0 ? conversationId : conversationId[..at];
    }

    /// <summary>The thread whose root is <paramref name="rootMessageId"/> in a channel.</summary>
    public static string Thread(string channelId, string rootMessageId) => Base(channelId) + MessageIdMarker + rootMessageId;

    public static bool IsThread(string conversationId) => conversationId.Contains(MessageIdMarker, StringComparison.OrdinalIgnoreCase);

    /// <summary>One path segment of a Connector URL.</summary>
    public static string Segment(string id) => Uri.EscapeDataString(id);
}
