using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IncidentBot.Teams.Activities;

/// <summary>Mentions in and out: the bot's own mention stripped from commands; people written as &lt;at&gt; text with a mention entity.</summary>
public static class Mentions
{
    /// <summary>
    /// Whether the activity mentions the bot: a <c>mention</c> entity whose mentioned id is the recipient's
    /// (the entities, not the text, say who is meant).
    /// </summary>
    public static bool MentionsBot(TeamsActivity activity) => BotMentions(activity).Any();

    /// <summary>The text without the bot's mention(s), trimmed (as the Bot Framework's RemoveMentionText does).</summary>
    public static string StripBotMention(TeamsActivity activity)
    {
        var text = activity.Text;
        foreach (var mention in BotMentions(activity))
        {
            if ((string?)mention["text"] is { Length: > 0 } tag)
            {
                text = Regex.Replace(text, Regex.Escape(tag), "", RegexOptions.IgnoreCase);
            }
        }

        return Regex.Replace(text.Replace("&nbsp;", " ", StringComparison.Ordinal), @"\s+", " ").Trim();
    }

    /// <summary>A mention entity for outbound text: <see cref="Tag"/> of the same name must appear verbatim in the text.</summary>
    public static JsonObject Entity(string id, string name) => new()
    {
        ["type"] = "mention",
        ["text"] = Tag(name),
        ["mentioned"] = new JsonObject { ["id"] = id, ["name"] = name },
    };

    public static string Tag(string name) => $"<at>{System.Net.WebUtility.HtmlEncode(name)}</at>";

    private static IEnumerable<JsonObject> BotMentions(TeamsActivity activity) =>
        activity.Entities.Where(e => (string?)e["type"] == "mention"
            && activity.Recipient is { } bot
            && string.Equals((string?)e["mentioned"]?["id"], bot.Id, StringComparison.OrdinalIgnoreCase));
}
