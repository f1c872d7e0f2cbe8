using System.Text.Json.Nodes;
using IncidentBot.Core.Messaging;
using IncidentBot.Teams.Activities;

namespace IncidentBot.Teams.Views;

/// <summary>
/// Draws Core's <see cref="ChatMessage"/> (the one Block Kit and the terminal draw) as a Teams message holding an
/// Adaptive Card 1.5: header, text, facts, footer, and buttons as <c>Action.Execute</c> (falling back to
/// <c>Action.Submit</c>) whose data carries the button's <see cref="ButtonAction"/>. People become &lt;at&gt; mentions with
/// entities in the card's <c>msteams</c> property. A report is a Markdown message.
/// </summary>
public sealed class AdaptiveCardRenderer(TeamsPeople people)
{
    public const string CardContentType = "application/vnd.microsoft.card.adaptive";

    /// <summary>The key in an action's data that holds the encoded <see cref="ButtonAction"/>.</summary>
    public const string ActionKey = "incidentbot";

    /// <summary>The key of the button's label in its data (the outcome line says "Approved by ...").</summary>
    public const string LabelKey = "label";

    /// <summary>The input a card with a Skip button carries for the reason.</summary>
    public const string ReasonInput = "reason";

    /// <summary>The Teams message (an Activity) for <paramref name="message"/>.</summary>
    public JsonObject Render(ChatMessage message)
    {
        if (message.File is { } file)
        {
            return Report(message, file);
        }

        var mentions = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var card = Card(message, mentions);
        return Message(card, Summary(message));
    }

    /// <summary>A message activity carrying one card.</summary>
    public static JsonObject Message(JsonObject card, string? summary = null)
    {
        var activity = new JsonObject { ["type"] = "message" };
        if (summary is { Length: > 0 })
        {
            activity["summary"] = summary;
        }

        activity["attachments"] = new JsonArray(new JsonObject { ["contentType"] = CardContentType, ["content"] = card });
        return activity;
    }

    /// <summary>The card alone (for an invoke answer or a card update).</summary>
    public JsonObject Card(ChatMessage message) => Card(message, new Dictionary<string, JsonObject>(StringComparer.Ordinal));

    /// <summary>The card of a pressed message: its buttons (and inputs) gone, the outcome underneath; or, still waiting, the buttons kept.</summary>
    public static JsonObject Pressed(JsonObject card, string outcome, bool keepButtons)
    {
        var copy = (JsonObject)card.DeepClone();
        var body = copy["body"] as JsonArray ?? [];
        if (!keepButtons)
        {
            foreach (var element in body.OfType<JsonObject>().Where(e => (string?)e["type"] is "ActionSet" or "Input.Text").ToList())
            {
                body.Remove(element);
            }

            copy.Remove("actions");
        }

        body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = outcome, ["wrap"] = true, ["isSubtle"] = true, ["id"] = "outcome" });
        copy["body"] = body;
        return copy;
    }

    private JsonObject Card(ChatMessage message, Dictionary<string, JsonObject> mentions)
    {
        var body = new JsonArray();
        if (message.Header is { Length: > 0 } header)
        {
            body.Add(Text(header, mentions, weight: "Bolder", size: "Medium"));
        }

        if (message.Text.Length > 0)
        {
            var block = Text(message.Text, mentions);
            if (message.Kind == MessageKind.Warning)
            {
                block["color"] = "Attention";
            }

            body.Add(block);
        }

        if (message.Fields.Count > 0)
        {
            body.Add(new JsonObject
            {
                ["type"] = "FactSet",
                ["facts"] = new JsonArray(message.Fields.Select(f => (JsonNode)new JsonObject { ["title"] = f.Label, ["value"] = Write(f.Value, mentions) }).ToArray()),
            });
        }

        if (message.Footer is { Length: > 0 } footer)
        {
            var block = Text(footer, mentions);
            block["isSubtle"] = true;
            block["size"] = "Small";
            body.Add(block);
        }

        if (message.Buttons.Count > 0)
        {
            if (message.Buttons.Any(b => IsSkip(b.Action)))
            {
                body.Add(new JsonObject { ["type"] = "Input.Text", ["id"] = ReasonInput, ["placeholder"] = "Reason (needed to skip)", ["maxLength"] = 500 });
            }

            body.Add(new JsonObject { ["type"] = "ActionSet", ["actions"] = new JsonArray(message.Buttons.Select(b => (JsonNode)Action(b)).ToArray()) });
        }

        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.5",
            ["body"] = body,
        };
        if (mentions.Count > 0)
        {
            // Teams' extension of the card (not in the Adaptive Card schema): the entities behind the <at> text.
            card["msteams"] = new JsonObject { ["entities"] = new JsonArray(mentions.Values.Select(m => (JsonNode)m).ToArray()) };
        }

        return card;
    }

    public static bool IsSkip(ButtonAction action) => action.Command.TrimEnd().EndsWith(" skip", StringComparison.OrdinalIgnoreCase);

    private static JsonObject Action(Button button)
    {
        var data = new JsonObject { [ActionKey] = button.Action.Encode(), [LabelKey] = button.Label };
        var style = button.Style switch
        {
            ButtonStyle.Primary => "positive",
            ButtonStyle.Danger => "destructive",
            _ => "default",
        };
        return new JsonObject
        {
            ["type"] = "Action.Execute",
            ["title"] = button.Label,
            ["verb"] = "press",
            ["style"] = style,
            ["data"] = data,
            ["fallback"] = new JsonObject { ["type"] = "Action.Submit", ["title"] = button.Label, ["style"] = style, ["data"] = data.DeepClone() },
        };
    }

    private JsonObject Text(string text, Dictionary<string, JsonObject> mentions, string? weight = null, string? size = null)
    {
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = Write(text, mentions), ["wrap"] = true };
        if (weight is not null)
        {
            block["weight"] = weight;
        }

        if (size is not null)
        {
            block["size"] = size;
        }

        return block;
    }

    /// <summary>Roster mentions become &lt;at&gt;name&lt;/at&gt; with an entity (people with a TeamsId), else @name.</summary>
    private string Write(string text, Dictionary<string, JsonObject> mentions) =>
        Mention.Pattern.Replace(text, m =>
        {
            var name = m.Groups["name"].Value;
            if (people.TeamsIdOf(name) is not { } id)
            {
                return "@" + name;
            }

            mentions.TryAdd(name, Mentions.Entity(id, name));
            return Mentions.Tag(name);
        });

    private static JsonObject Report(ChatMessage message, Attachment file)
    {
        const int Limit = 20_000; // Teams refuses messages much above 28 KB
        var content = file.Content.Length <= Limit
            ? file.Content
            : file.Content[..Limit] + $"\n\n… (cut here; the whole report is {file.FileName} in the bot's reports folder)";
        return new JsonObject
        {
            ["type"] = "message",
            ["textFormat"] = "markdown",
            ["summary"] = file.Title,
            ["text"] = $"**{message.Header ?? file.Title}**\n\n{content}",
        };
    }

    private static string Summary(ChatMessage message)
    {
        var text = Mention.Pattern.Replace(message.Header ?? message.Text, m => "@" + m.Groups["name"].Value);
        var line = text.Split('\n', 2)[0];
        return line.Length <= 200 ? line : line[..199] + "…";
    }
}
