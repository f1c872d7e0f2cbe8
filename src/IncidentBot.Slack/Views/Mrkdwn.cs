namespace IncidentBot.Slack.Views;

/// <summary>Slack's mrkdwn escaping: exactly <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c>, nothing else.</summary>
public static class Mrkdwn
{
    public static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>Cuts <paramref name="text"/> to <paramref name="max"/> characters, ending in an ellipsis when cut.</summary>
    public static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
