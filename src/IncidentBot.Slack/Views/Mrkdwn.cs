namespace IncidentBot.Slack.Views;

/// <summary>Slack's mrkdwn escaping: exactly <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c>, nothing else.</summary>
public static class Mrkdwn
{
    public static string Escape(string text)
    {
        var first = text.AsSpan().IndexOfAny('&', '<', '>');
        if (first < 0)
        {
            return text;
        }

        var escaped = new System.Text.StringBuilder(text.Length + 16).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            _ = text[i] switch
            {
                '&' => escaped.Append("&amp;"),
                '<' => escaped.Append("&lt;"),
                '>' => escaped.Append("&gt;"),
                var c => escaped.Append(c),
            };
        }

        return escaped.ToString();
    }

    /// <summary>Cuts <paramref name="text"/> to <paramref name="max"/> characters, ending in an ellipsis when cut.</summary>
    public static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
