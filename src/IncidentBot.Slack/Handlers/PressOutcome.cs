using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IncidentBot.Core.Approvals;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;
using IncidentBot.Slack.Api;
using IncidentBot.Slack.Inbound;
using IncidentBot.Slack.Outbound;
using IncidentBot.Slack.Views;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Slack.Handlers;

/// <summary>
/// What follows a button press, from the worker: a refusal is told to the presser; a success replaces the pressed
/// message's buttons with the outcome ("Done by @bob at 03:12 UTC"), so the same card can't be pressed twice.
/// Works for any card with buttons (steps, choices, approvals). An approval that still needs another approver keeps
/// its buttons, with a line saying who approved so far.
/// </summary>
public sealed partial class PressOutcome(ISlackApi api, SlackPublisher publisher, IncidentService incidents, TimeProvider time, ILogger<PressOutcome> log)
{
    // Messages whose press waits for a modal (a skip reason) and too big for its private_metadata: their blocks, until the modal is submitted.
    private readonly ConcurrentDictionary<string, JsonArray> _waiting = new(StringComparer.Ordinal);

    public void Remember(string channel, string ts, JsonArray blocks) => _waiting[$"{channel}/{ts}"] = (JsonArray)blocks.DeepClone();

    public JsonArray? Recall(string channel, string ts) => _waiting.TryRemove($"{channel}/{ts}", out var blocks) ? blocks : null;

    public async Task FinishAsync(
        CommandResult result, SlackInvocation invocation, ButtonAction action, string label, string? messageTs, JsonArray? blocks, CancellationToken cancellationToken)
    {
        if (result.Reply.Message.Kind == MessageKind.Warning)
        {
            await publisher.TellAsync(invocation, result.Reply.Message, cancellationToken);
            return;
        }

        if (messageTs is not null && blocks is null)
        {
            // The card's content is unknown (a Skip modal's card, forgotten in a restart): better its old buttons,
            // which now refuse as stale, than a card reduced to one line.
            log.LogInformation("Pressed message {Ts} in {Channel} is left as it was: its blocks are unknown", messageTs, invocation.ChannelId);
        }
        else if (messageTs is not null)
        {
            var at = time.GetUtcNow().UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture);
            var pressed = $"{Mrkdwn.Escape(Pressed(label))} by <@{invocation.UserId}>";
            var waiting = StillWaiting(action);
            var outcome = waiting is null
                ? $"{pressed} at {at} UTC"
                : $"{pressed} ({waiting.Approvers.Count()} of {waiting.ApprovalsNeeded}) at {at} UTC, waiting for another approver";
            var updated = waiting is null ? BlockKitRenderer.WithoutButtons(blocks ?? [], outcome) : BlockKitRenderer.WithPending(blocks ?? [], outcome);
            try
            {
                await api.UpdateAsync(invocation.ChannelId, messageTs, new SlackMessage(outcome, updated), cancellationToken);
            }
            catch (Exception e) when (e is SlackApiException or HttpRequestException)
            {
                await publisher.TellAsync(invocation, ChatMessage.Warn($"{e.Message}."), cancellationToken);
            }
        }

        if (!result.Reply.IsEmpty)
        {
            await publisher.TellAsync(invocation, result.Reply.Message, cancellationToken);
        }
    }

    /// <summary>
    /// The approval request the press was for, when it still waits for another approver (a request over the
    /// two-approver limit after its first approval): its card keeps the buttons. Null for anything finished.
    /// </summary>
    private ApprovalRequest? StillWaiting(ButtonAction action)
    {
        var id = action.Guard.StartsWith(ApprovalGuard, StringComparison.Ordinal)
            ? action.Guard[ApprovalGuard.Length..]
            : ApproveCommand().Match(action.Command) is { Success: true } m ? m.Groups["id"].Value : null;
        return id is { Length: > 0 } && incidents.Find(action.IncidentId)?.FindApproval(id) is { State: ApprovalState.Pending } request ? request : null;
    }

    private const string ApprovalGuard = "approval:";

    [GeneratedRegex(@"^approve(\s+INC-[0-9]+)?\s+(?<id>\S+)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex ApproveCommand();

    /// <summary>How a pressed button reads afterwards: "Approved by ...", "Skipped by ...", "Clerk outage: chosen by ...".</summary>
    public static string Pressed(string label) => label.Trim() switch
    {
        var l when l.Equals("Approve", StringComparison.OrdinalIgnoreCase) => "Approved",
        var l when l.Equals("Deny", StringComparison.OrdinalIgnoreCase) => "Denied",
        var l when l.Equals("Skip", StringComparison.OrdinalIgnoreCase) => "Skipped",
        var l when l.Equals("Done", StringComparison.OrdinalIgnoreCase) => "Done",
        var l => $"{l}: chosen",
    };
}
