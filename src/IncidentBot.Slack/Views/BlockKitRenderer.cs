using System.Text.Json.Nodes;
using IncidentBot.Core.Messaging;
using IncidentBot.Slack.Api;

namespace IncidentBot.Slack.Views;

/// <summary>
/// Draws a <see cref="ChatMessage"/> as Block Kit: header, text sections, field sections, footer context, an actions
/// block of buttons carrying the encoded <see cref="ButtonAction"/>. Keeps to Slack's limits (50 blocks, 3000-char
/// sections, 150-char headers, 10 fields per section, 75-char button labels, 2000-char button values).
/// </summary>
public sealed class BlockKitRenderer(SlackPeople people)
{
    public const int MaxBlocks = 50;
    public const int MaxSectionText = 3000;
    public const int MaxHeader = 150;
    public const int MaxFieldText = 2000;
    public const int MaxButtonText = 75;
    public const int MaxButtonValue = 2000;
    public const int MaxConfirmText = 300;
    public const string ButtonActionPrefix = "incident_button_";

    public SlackMessage Render(ChatMessage message)
    {
        var blocks = new List<JsonObject>();
        if (message.Header is { Length: > 0 } header)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "header",
                ["text"] = PlainText(Mrkdwn.Truncate(SlackPeople.Plain(header), MaxHeader)),
            });
        }

        var text = message.Kind == MessageKind.Report && message.File is not null ? $"The report is attached as {message.File.FileName}." : message.Text;
        var prefix = message.Kind == MessageKind.Warning ? ":warning: " : "";
        foreach (var chunk in Chunks(prefix + people.Mrkdwn(text), MaxSectionText))
        {
            blocks.Add(Section(chunk));
        }

        foreach (var group in message.Fields.Chunk(10))
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "section",
                ["fields"] = new JsonArray(group.Select(f => (JsonNode)MrkdwnText(
                    Mrkdwn.Truncate($"*{people.Mrkdwn(f.Label)}*\n{people.Mrkdwn(f.Value)}", MaxFieldText))).ToArray()),
            });
        }

        if (message.Footer is { Length: > 0 } footer)
        {
            blocks.Add(Context(Mrkdwn.Truncate(people.Mrkdwn(footer), MaxSectionText)));
        }

        var buttons = message.Buttons.Select(RenderButton).OfType<JsonObject>().ToList();
        foreach (var group in buttons.Chunk(25))
        {
            blocks.Add(new JsonObject { ["type"] = "actions", ["elements"] = new JsonArray(group.Select(b => (JsonNode)b).ToArray()) });
        }

        if (blocks.Count > MaxBlocks)
        {
            // Keep the buttons (the last block) and say what was cut.
            var actions = blocks.LastOrDefault(b => (string?)b["type"] == "actions");
            var keep = MaxBlocks - 1 - (actions is null ? 0 : 1);
            blocks = [.. blocks.Take(keep), Context("_(shortened: the full text is too long for one Slack message)_"), .. actions is null ? [] : new[] { actions }];
        }

        var fallback = string.Join(" · ", new[] { message.Header, message.Text }.Where(t => !string.IsNullOrEmpty(t)).Select(t => SlackPeople.Plain(t!)));
        return new SlackMessage(Mrkdwn.Truncate(Mrkdwn.Escape(fallback.Length == 0 ? "IncidentBot" : fallback), MaxSectionText), new JsonArray(blocks.Select(b => (JsonNode)b).ToArray()));
    }

    /// <summary>The block_id of the line under a card still waiting for more presses ("Approved by @bob (1 of 2), ...").</summary>
    public const string PendingBlockId = "incidentbot-pending";

    /// <summary>A pressed message that still waits for another press: its buttons kept, a line about the press above them.</summary>
    public static JsonArray WithPending(JsonArray blocks, string noteMrkdwn)
    {
        var kept = blocks.OfType<JsonObject>().Where(b => (string?)b["block_id"] != PendingBlockId).Select(b =>
        {
            var copy = (JsonObject)b.DeepClone();
            copy.Remove("block_id"); // a block_id must be new in each version of a message
            return copy;
        }).ToList();
        var at = kept.FindIndex(b => (string?)b["type"] == "actions");
        var note = Context(noteMrkdwn);
        note["block_id"] = PendingBlockId;
        kept.Insert(at < 0 ? kept.Count : at, note);
        return new JsonArray(kept.Take(MaxBlocks).Select(b => (JsonNode)b).ToArray());
    }

    /// <summary>A pressed message, its buttons replaced by what came of the press ("Done by @bob at 03:12 UTC").</summary>
    public static JsonArray WithoutButtons(JsonArray blocks, string outcomeMrkdwn)
    {
        var kept = blocks.OfType<JsonObject>().Where(b => (string?)b["type"] != "actions" && (string?)b["block_id"] != PendingBlockId).Select(b =>
        {
            var copy = (JsonObject)b.DeepClone();
            copy.Remove("block_id"); // a block_id must be new in each version of a message
            return (JsonNode)copy;
        }).Take(MaxBlocks - 1).ToList();
        kept.Add(Context(outcomeMrkdwn));
        return new JsonArray(kept.ToArray());
    }

    private JsonObject? RenderButton(Button button, int index)
    {
        var value = button.Action.Encode();
        if (value.Length > MaxButtonValue)
        {
            return null;
        }

        var element = new JsonObject
        {
            ["type"] = "button",
            ["action_id"] = ButtonActionPrefix + index,
            ["text"] = PlainText(Mrkdwn.Truncate(SlackPeople.Plain(button.Label), MaxButtonText)),
            ["value"] = value,
        };
        if (button.Style != ButtonStyle.Default)
        {
            element["style"] = button.Style == ButtonStyle.Danger ? "danger" : "primary";
        }

        if (button.Confirm is { Length: > 0 } confirm)
        {
            element["confirm"] = new JsonObject
            {
                ["title"] = PlainText(Mrkdwn.Truncate($"{SlackPeople.Plain(button.Label)}?", 100)),
                ["text"] = PlainText(Mrkdwn.Truncate(SlackPeople.Plain(confirm), MaxConfirmText)),
                ["confirm"] = PlainText(Mrkdwn.Truncate(SlackPeople.Plain(button.Label), 30)),
                ["deny"] = PlainText("Cancel"),
                ["style"] = button.Style == ButtonStyle.Danger ? "danger" : "primary",
            };
        }

        return element;
    }

    private static IEnumerable<string> Chunks(string text, int max)
    {
        // Cut on line breaks where possible, never inside a mention or an escape.
        var rest = text.Trim();
        while (rest.Length > 0)
        {
            if (rest.Length <= max)
            {
                yield return rest;
                yield break;
            }

            var cut = rest.LastIndexOf('\n', max - 1);
            if (cut < max / 2)
            {
                cut = SafeCut(rest, max);
            }

            yield return rest[..cut].TrimEnd();
            rest = rest[cut..].TrimStart();
        }
    }

    private static int SafeCut(string text, int max)
    {
        var cut = max;
        var open = text.LastIndexOfAny(['<', '&'], cut - 1);
        if (open >= 0)
        {
            var close = text.IndexOfAny(['>', ';'], open);
            if (close >= cut && open > 0)
            {
                cut = open;
            }
        }

        return cut;
    }

    private static JsonObject Section(string mrkdwn) => new() { ["type"] = "section", ["text"] = MrkdwnText(mrkdwn) };

    private static JsonObject Context(string mrkdwn) => new() { ["type"] = "context", ["elements"] = new JsonArray(MrkdwnText(mrkdwn)) };

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text, ["emoji"] = true };

    private static JsonObject MrkdwnText(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };
}
