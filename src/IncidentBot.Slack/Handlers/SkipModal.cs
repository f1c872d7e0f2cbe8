using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Slack.Handlers;

/// <summary>Skip needs a reason: the Skip button opens this modal, and its submission runs <c>step skip &lt;reason&gt;</c>.</summary>
public static partial class SkipModal
{
    public const string CallbackId = "incident_skip_reason";
    public const string BlockId = "reason";

    public static bool Applies(ButtonAction action) => SkipWithoutReason().IsMatch(action.Command.Trim());

    /// <summary>Slack's limit on a view's private_metadata.</summary>
    public const int MaxMetadata = 3000;

    /// <summary>
    /// The modal. Its private_metadata says what was pressed and, when it fits, the pressed card without its buttons,
    /// so the submission can turn the card into "Skipped by ..." even after a restart.
    /// </summary>
    public static JsonObject View(ButtonAction action, string channel, string? messageTs, string label, JsonArray? card = null) => new()
    {
        ["type"] = "modal",
        ["callback_id"] = CallbackId,
        ["private_metadata"] = Metadata(action, channel, messageTs, label, card),
        ["title"] = Plain("Skip this step"),
        ["submit"] = Plain("Skip"),
        ["close"] = Plain("Cancel"),
        ["blocks"] = new JsonArray(
            new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = $"Why skip it? The reason goes on {action.IncidentId}'s timeline." } },
            new JsonObject
            {
                ["type"] = "input",
                ["block_id"] = BlockId,
                ["label"] = Plain("Reason"),
                ["element"] = new JsonObject { ["type"] = "plain_text_input", ["action_id"] = BlockId, ["multiline"] = true, ["max_length"] = 1000 },
            }),
    };

    /// <summary>Whether the modal carries the pressed card (else the caller must remember it).</summary>
    public static bool CarriesCard(JsonObject view) => JsonNode.Parse((string)view["private_metadata"]!)?["card"] is JsonArray;

    private static string Metadata(ButtonAction action, string channel, string? messageTs, string label, JsonArray? card)
    {
        var meta = new JsonObject { ["action"] = action.Encode(), ["channel"] = channel, ["ts"] = messageTs, ["label"] = label };
        var bare = meta.ToJsonString();
        if (card is null)
        {
            return bare;
        }

        // The buttons go anyway once the step is skipped, and they are the bulk of a card.
        meta["card"] = new JsonArray(card.OfType<JsonObject>().Where(b => (string?)b["type"] != "actions").Select(b => (JsonNode)b.DeepClone()).ToArray());
        var full = meta.ToJsonString();
        return full.Length <= MaxMetadata ? full : bare;
    }

    private static JsonObject Plain(string text) => new() { ["type"] = "plain_text", ["text"] = text };

    // The step card's Skip button runs "step INC-n skip" (the incident first, as in "step [INC-n] done | skip <reason>").
    [GeneratedRegex(@"^step(\s+INC-[0-9]+)?\s+skip$", RegexOptions.IgnoreCase)]
    private static partial Regex SkipWithoutReason();
}
