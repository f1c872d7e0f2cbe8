using System.Text.Json.Nodes;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Messaging;
using IncidentBot.Slack.Api;
using IncidentBot.Slack.Inbound;
using IncidentBot.Slack.Outbound;
using IncidentBot.Slack.Views;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Slack.Handlers;

/// <summary>
/// A button press (block_actions): runs the button's command under its guard, acknowledges at once, then lets
/// <see cref="PressOutcome"/> replace the buttons with the outcome or tell the presser why not. Skip opens a modal for the reason first.
/// </summary>
public sealed class BlockActionsHandler(
    CommandRouter router,
    SlackPeople people,
    AckBudget budget,
    SlackWorkQueue queue,
    SlackPublisher publisher,
    PressOutcome outcome,
    ISlackApi api,
    ILogger<BlockActionsHandler> log) : ISlackHandler
{
    public string Key => $"{SlackInbound.Interactive}:block_actions";

    public async Task<SlackAck?> HandleAsync(SlackInbound inbound, CancellationToken cancellationToken)
    {
        var payload = inbound.Payload;
        var userId = (string?)payload["user"]?["id"] ?? "";
        var userName = (string?)payload["user"]?["name"] ?? (string?)payload["user"]?["username"];
        var channelId = (string?)payload["channel"]?["id"] ?? (string?)payload["container"]?["channel_id"] ?? "";
        var messageTs = (string?)payload["container"]?["message_ts"];
        var blocks = payload["message"]?["blocks"] as JsonArray;
        var pressed = payload["actions"] is JsonArray { Count: > 0 } actions ? actions[0] : null;
        var context = new CommandContext(people.ActorOf(userId, userName), SlackSurface.PlatformName, channelId) { ReplyTo = (string?)payload["response_url"] };
        var origin = context.Origin;
        var action = ButtonAction.Decode((string?)pressed?["value"]);
        if (action is null)
        {
            queue.Enqueue("unknown button", ct => publisher.TellAsync(origin, ChatMessage.Warn("That button is not one of IncidentBot's."), ct));
            return null;
        }

        var label = (string?)pressed?["text"]?["text"] ?? "Pressed";
        if (SkipModal.Applies(action) && (string?)payload["trigger_id"] is { } trigger)
        {
            var view = SkipModal.View(action, channelId, messageTs, label, blocks);
            if (messageTs is not null && blocks is not null && !SkipModal.CarriesCard(view))
            {
                // Too big for the modal's private_metadata: kept here (lost on a restart, when the card keeps its buttons).
                outcome.Remember(channelId, messageTs, blocks);
            }

            _ = OpenModalAsync(trigger, view, origin);
            return null;
        }

        var work = SafeCommand.RunAsync(() => router.PressAsync(context, action, CancellationToken.None), log, $"Button '{action.Command}'");
        if (await budget.WaitAsync(work, cancellationToken) is { } result && outcome.AlreadyTold(userId, (string?)pressed?["value"] ?? "", result))
        {
            log.LogDebug("{UserId} pressed {Command} again: refused as a moment ago, not told twice", userId, action.Command);
            return null;
        }

        AckBudget.Then(work, queue, $"button {action.Command}", (result, ct) => outcome.FinishAsync(result, origin, label, messageTs, blocks, ct));
        return null;
    }

    private async Task OpenModalAsync(string trigger, JsonObject view, Origin origin)
    {
        try
        {
            // Straight away, not through the queue: the trigger expires 3 seconds after the press.
            await api.OpenViewAsync(trigger, view, CancellationToken.None);
        }
        catch (Exception e)
        {
            // Nobody awaits this task: whatever went wrong (a refusal, a timeout) is told to the presser here.
            log.LogWarning("Skip modal could not be opened: {Problem}", e.Message);
            queue.Enqueue("skip modal refused", ct => publisher.TellAsync(origin, ChatMessage.Warn($"{e.Message}. Skip with `/incident step skip <reason>` instead."), ct));
        }
    }
}
