using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using IncidentBot.Core.Approvals;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Messaging;
using IncidentBot.Slack.Api;
using IncidentBot.Slack.Outbound;
using IncidentBot.Slack.Views;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Slack.Handlers;

/// <summary>
/// What follows a button press, from the worker, drawn from the press's typed outcome: a refusal is told to the presser
/// and the card keeps its buttons; anything that settled the card (a step done, a request denied, expired, withdrawn, or
/// run, however the run went) replaces its buttons with the outcome ("Approved by @bob at 03:12 UTC: FAILED"), so it
/// can't be pressed twice. An approval that still needs another approver keeps its buttons, with who approved so far;
/// a press on a request settled elsewhere (by command, say) is refused and its out-of-date card shows how it stands.
/// </summary>
public sealed class PressOutcome(ISlackApi api, SlackPublisher publisher, TimeProvider time, ILogger<PressOutcome> log)
{
    /// <summary>How long a refusal told to someone is not told again for the same button (a button pressed again and again).</summary>
    public static readonly TimeSpan RepeatWindow = TimeSpan.FromSeconds(10);

    private readonly Inbound.RecentKeys _told = new(time, RepeatWindow, capacity: 20_000);

    /// <summary>
    /// True when <paramref name="result"/> refuses a press that <paramref name="userId"/> made on the same button, for the
    /// same reason, within <see cref="RepeatWindow"/>: they were told a moment ago, so nothing more is sent. A frantic
    /// presser gets one answer, not one per click, and the incident's lane (its card updates, its pages) stays free.
    /// </summary>
    public bool AlreadyTold(string userId, string buttonValue, CommandResult result) =>
        result.Reply.Outcome is Refused and not AlreadySettled && !_told.FirstTime($"{userId}\n{buttonValue}\n{result.Reply.Message.Text}");

    // Messages whose press waits for a modal (a skip reason) and too big for its private_metadata: their blocks, until the modal is submitted.
    private readonly ConcurrentDictionary<string, JsonArray> _waiting = new(StringComparer.Ordinal);

    public void Remember(string channel, string ts, JsonArray blocks) => _waiting[$"{channel}/{ts}"] = (JsonArray)blocks.DeepClone();

    public JsonArray? Recall(string channel, string ts) => _waiting.TryRemove($"{channel}/{ts}", out var blocks) ? blocks : null;

    public async Task FinishAsync(CommandResult result, Origin origin, string label, string? messageTs, JsonArray? blocks, CancellationToken cancellationToken)
    {
        var outcome = result.Reply.Outcome;
        if (outcome is Refused and not AlreadySettled)
        {
            await publisher.TellAsync(origin, result.Reply.Message, cancellationToken);
            return;
        }

        if (messageTs is not null && blocks is null)
        {
            // The card's content is unknown (a Skip modal's card, forgotten in a restart): better its old buttons,
            // which now refuse as stale, than a card reduced to one line.
            log.LogInformation("Pressed message {Ts} in {Channel} is left as it was: its blocks are unknown", messageTs, origin.ChannelId);
        }
        else if (messageTs is not null)
        {
            var at = $"at {time.GetUtcNow().UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture)} UTC";
            var by = $"<@{origin.UserId}>";
            var line = outcome switch
            {
                AlreadySettled settled => $"Already {Mrkdwn.Escape(ApprovalService.Describe(settled.State))} ({by} pressed {Mrkdwn.Escape(label)} {at})",
                ApprovalCounted c => $"Approved by {by} ({c.Given} of {c.Needed}) {at}, waiting for another approver",
                ActionRan { Result: RunResult.Ok } => $"Approved by {by} {at}: done",
                ActionRan { Result: RunResult.Partly } => $"Approved by {by} {at}: NOT finished, some targets failed (see the result below)",
                ActionRan => $"Approved by {by} {at}: FAILED (see the result below)",
                RequestEnded { State: ApprovalState.Denied } => $"Denied by {by} {at}",
                RequestEnded e => $"{Mrkdwn.Escape(e.Text)} ({by} pressed {Mrkdwn.Escape(label)} {at})",
                _ => $"{Mrkdwn.Escape(Pressed(label))} by {by} {at}",
            };
            var updated = outcome is ApprovalCounted ? BlockKitRenderer.WithPending(blocks ?? [], line) : BlockKitRenderer.WithoutButtons(blocks ?? [], line);
            try
            {
                await api.UpdateAsync(origin.ChannelId, messageTs, new SlackMessage(line, updated), cancellationToken);
            }
            catch (Exception e) when (e is SlackApiException or HttpRequestException)
            {
                await publisher.TellAsync(origin, ChatMessage.Warn($"{e.Message}."), cancellationToken);
            }
        }

        if (!result.Reply.IsEmpty)
        {
            await publisher.TellAsync(origin, result.Reply.Message, cancellationToken);
        }
    }

    /// <summary>How a pressed step or choice button reads afterwards: "Done by ...", "Skipped by ...", "Clerk outage: chosen by ...".</summary>
    public static string Pressed(string label) => label.Trim() switch
    {
        var l when l.Equals("Approve", StringComparison.OrdinalIgnoreCase) => "Approved",
        var l when l.Equals("Deny", StringComparison.OrdinalIgnoreCase) => "Denied",
        var l when l.Equals("Skip", StringComparison.OrdinalIgnoreCase) => "Skipped",
        var l when l.Equals("Done", StringComparison.OrdinalIgnoreCase) => "Done",
        var l => $"{l}: chosen",
    };
}
