using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Messaging;
using IncidentBot.Slack.Inbound;
using IncidentBot.Slack.Outbound;
using IncidentBot.Slack.Views;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Slack.Handlers;

/// <summary>The skip-reason modal submitted (view_submission): runs <c>step skip &lt;reason&gt;</c> under the pressed button's guard.</summary>
public sealed class ViewSubmissionHandler(
    CommandRouter router,
    SlackPeople people,
    AckBudget budget,
    SlackWorkQueue queue,
    PressOutcome outcome,
    ILogger<ViewSubmissionHandler> log) : ISlackHandler
{
    public string Key => $"{SlackInbound.Interactive}:view_submission";

    public async Task<SlackAck?> HandleAsync(SlackInbound inbound, CancellationToken cancellationToken)
    {
        var view = inbound.Payload["view"];
        if ((string?)view?["callback_id"] != SkipModal.CallbackId || Metadata((string?)view?["private_metadata"]) is not { } meta)
        {
            return null;
        }

        var reason = ((string?)view!["state"]?["values"]?[SkipModal.BlockId]?[SkipModal.BlockId]?["value"])?.ReplaceLineEndings(" ").Trim();
        if (string.IsNullOrEmpty(reason))
        {
            return SlackAck.Of(new JsonObject { ["response_action"] = "errors", ["errors"] = new JsonObject { [SkipModal.BlockId] = "Say why the step is skipped." } });
        }

        var action = ButtonAction.Decode((string?)meta["action"]);
        var channel = (string?)meta["channel"] ?? "";
        if (action is null)
        {
            return null;
        }

        var userId = (string?)inbound.Payload["user"]?["id"] ?? "";
        var responseUrl = inbound.Payload["response_urls"] is JsonArray { Count: > 0 } urls ? (string?)urls[0]?["response_url"] : null;
        var context = new CommandContext(people.ActorOf(userId, (string?)inbound.Payload["user"]?["name"]), SlackSurface.PlatformName, channel) { ReplyTo = responseUrl };
        var skip = action with { Command = $"step {action.IncidentId} skip {reason}" };
        var work = SafeCommand.RunAsync(() => router.PressAsync(context, skip, CancellationToken.None), log, $"Skip '{skip.Command}'");
        await budget.WaitAsync(work, cancellationToken);
        var ts = (string?)meta["ts"];
        AckBudget.Then(work, queue, "skip reason", (result, ct) => outcome.FinishAsync(
            result, context.Origin, (string?)meta["label"] ?? "Skip", ts, CardOf(meta, channel, ts), ct));
        return null; // closes the modal
    }

    /// <summary>The pressed card: from the modal's metadata, else as the press remembered it (if the bot has not restarted since).</summary>
    private JsonArray? CardOf(JsonObject meta, string channel, string? ts) =>
        meta["card"] is JsonArray card ? card : ts is null ? null : outcome.Recall(channel, ts);

    private static JsonObject? Metadata(string? text)
    {
        try
        {
            return text is null ? null : JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
