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

    public static JsonObject View(ButtonAction action, string channel, string? messageTs, string label) => new()
    {
        ["type"] = "modal",
        ["callback_id"] = CallbackId,
        ["private_metadata"] = new JsonObject { ["action"] = action.Encode(), ["channel"] = channel, ["ts"] = messageTs, ["label"] = label }.ToJsonString(),
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

    private static JsonObject Plain(string text) => new() { ["type"] = "plain_text", ["text"] = text };

    // The step card's Skip button runs "step INC-n skip" (the incident first, as in "step [INC-n] done | skip <reason>").
    [GeneratedRegex(@"^step(\s+INC-[0-9]+)?\s+skip$", RegexOptions.IgnoreCase)]
    private static partial Regex SkipWithoutReason();
}
