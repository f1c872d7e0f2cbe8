using System.Globalization;
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
/// A button press (block_actions): runs the button's command under its guard, acknowledges at once, then replaces
/// the pressed message's buttons with the outcome ("Done by @bob at 03:12 UTC") or tells the presser why not.
/// </summary>
public sealed class BlockActionsHandler(
    CommandRouter router,
    SlackPeople people,
    AckBudget budget,
    SlackWorkQueue queue,
    SlackPublisher publisher,
    ISlackApi api,
    TimeProvider time,
    ILogger<BlockActionsHandler> log) : ISlackHandler
{
    public string Key => $"{SlackInbound.Interactive}:block_actions";

    public async Task<JsonObject?> HandleAsync(SlackInbound inbound, CancellationToken cancellationToken)
    {
        var payload = inbound.Payload;
        var userId = (string?)payload["user"]?["id"] ?? "";
        var userName = (string?)payload["user"]?["name"] ?? (string?)payload["user"]?["username"];
        var channelId = (string?)payload["channel"]?["id"] ?? (string?)payload["container"]?["channel_id"] ?? "";
        var messageTs = (string?)payload["container"]?["message_ts"];
        var blocks = payload["message"]?["blocks"] as JsonArray;
        var pressed = payload["actions"]?[0];
        var invocation = new SlackInvocation(userId, channelId, (string?)payload["response_url"]);
        var action = ButtonAction.Decode((string?)pressed?["value"]);
        if (action is null)
        {
            queue.Enqueue("unknown button", ct => publisher.TellAsync(invocation, ChatMessage.Warn("That button is not one of IncidentBot's."), ct));
            return null;
        }

        var label = (string?)pressed?["text"]?["text"] ?? "Pressed";
        var context = new CommandContext(people.ActorOf(userId, userName), SlackSurface.PlatformName, channelId);
        SlackInvocation.Current = invocation;
        var work = RunAsync(context, action);
        await budget.WaitAsync(work, cancellationToken);
        queue.Enqueue($"button {action.Command}", async ct =>
        {
            var result = await work;
            if (result.Reply.Message.Kind == MessageKind.Warning)
            {
                await publisher.TellAsync(invocation, result.Reply.Message, ct);
                return;
            }

            if (messageTs is not null && blocks is not null)
            {
                var at = time.GetUtcNow().UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture);
                var outcome = $"{Mrkdwn.Escape(Pressed(label))} by <@{userId}> at {at} UTC";
                try
                {
                    await api.UpdateAsync(channelId, messageTs, new SlackMessage(outcome, BlockKitRenderer.WithoutButtons(blocks, outcome)), ct);
                }
                catch (Exception e) when (e is SlackApiException or HttpRequestException)
                {
                    await publisher.TellAsync(invocation, ChatMessage.Warn($"{e.Message}."), ct);
                }
            }

            if (!result.Reply.IsEmpty)
            {
                await publisher.TellAsync(invocation, result.Reply.Message, ct);
            }
        });
        return null;
    }

    /// <summary>How a pressed button reads afterwards: "Approved by ...", "Skipped by ...", "Clerk outage: chosen by ...".</summary>
    public static string Pressed(string label) => label.Trim() switch
    {
        var l when l.Equals("Approve", StringComparison.OrdinalIgnoreCase) => "Approved",
        var l when l.Equals("Deny", StringComparison.OrdinalIgnoreCase) => "Denied",
        var l when l.Equals("Skip", StringComparison.OrdinalIgnoreCase) => "Skipped",
        var l when l.Equals("Done", StringComparison.OrdinalIgnoreCase) => "Done",
        var l => $"{l}: chosen",
    };

    private async Task<CommandResult> RunAsync(CommandContext context, ButtonAction action)
    {
        try
        {
            return await router.PressAsync(context, action, CancellationToken.None);
        }
        catch (Exception e)
        {
            log.LogError(e, "Button '{Command}' failed", action.Command);
            return new CommandResult(Reply.Refused($"That failed: {e.Message}. The log has the details."), null);
        }
    }
}
